import { useState } from 'react';
import { PageHeader } from '../ui';
import QueryTab from './analytics/QueryTab';
import ReportsTab from './analytics/ReportsTab';
import SchedulesTab from './analytics/SchedulesTab';
import { draftOf, freshDraft, type ChartKind, type Draft, type QueryAnswer, type Report } from './analytics/shared';
import './Analytics.css';

type Tab = 'query' | 'reports' | 'schedules';
const TABS: { id: Tab; label: string }[] = [
  { id: 'query', label: 'Query' },
  { id: 'reports', label: 'Reports' },
  { id: 'schedules', label: 'Schedules' },
];

export default function Analytics() {
  const [tab, setTab] = useState<Tab>('query');
  // Kept here rather than in the tabs, so switching tabs keeps the query and its answer.
  const [draft, setDraft] = useState<Draft | null>(null);
  const [answer, setAnswer] = useState<{ answer: QueryAnswer; chart: ChartKind } | null>(null);
  const [openReport, setOpenReport] = useState<string | null>(null);

  const showReport = (id: string) => {
    setOpenReport(id);
    setTab('reports');
  };
  const editQuery = (r: Report) => {
    setDraft(draftOf(r.query, r.chart, draft ?? freshDraft([])));
    setTab('query');
  };

  return (
    <div className="analytics-page">
      <PageHeader title="Analytics" />
      <div className="tabs" role="group" aria-label="Analytics sections">
        {TABS.map((t) => (
          <button key={t.id} type="button" aria-pressed={tab === t.id} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'query' ? (
        <QueryTab draft={draft} setDraft={setDraft} answer={answer} setAnswer={setAnswer} onOpenReport={showReport} />
      ) : tab === 'reports' ? (
        <ReportsTab openId={openReport} setOpenId={setOpenReport} onEditQuery={editQuery} />
      ) : (
        <SchedulesTab />
      )}
    </div>
  );
}
