// What a support ticket is and how its status, priority and SLA read, shared by the support pages
// and the dashboard. It is part of the dashboard's chunk, so it holds no page code.
import { Badge, when } from '../ui';

export const STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Status = (typeof STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];

export type Sla = {
  state: 'pending' | 'met' | 'breached';
  targetMinutes: number;
  firstResponseDueAt?: string | null;
  respondedAt?: string | null;
  breachedAt?: string | null;
  secondsLeft?: number | null;
};

export type TicketView = {
  id: string;
  subject: string;
  description?: string | null;
  priority: Priority;
  category?: string | null;
  status: Status;
  assigneeId?: string | null;
  requesterId: string;
  tags: string[];
  sla?: Sla | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  resolvedAt?: string | null;
  closedAt?: string | null;
};

export const statusLabel = (s: string) => s.replace('_', ' ');

export function StatusBadge({ status }: { status: Status }) {
  const tone = status === 'open' ? 'info' : status === 'in_progress' ? 'warn' : status === 'resolved' ? 'good' : 'neutral';
  return <Badge tone={tone}>{statusLabel(status)}</Badge>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const tone = priority === 'critical' || priority === 'high' ? 'bad' : priority === 'medium' ? 'warn' : 'neutral';
  return <Badge tone={tone}>{priority}</Badge>;
}

function duration(seconds: number): string {
  const minutes = Math.max(0, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h ${minutes % 60}m` : `${Math.floor(hours / 24)}d`;
}

/** The first-response SLA in words: met, breached, or how long is left. */
export function SlaBadge({ sla }: { sla?: Sla | null }) {
  if (!sla) return <span className="caption">—</span>;
  if (sla.state === 'met') return <Badge tone="good">SLA met</Badge>;
  if (sla.state === 'breached') return <Badge tone="bad">SLA breached {when(sla.breachedAt)}</Badge>;
  const left = sla.secondsLeft ?? 0;
  if (left <= 0) return <Badge tone="bad">SLA overdue</Badge>;
  return (
    <Badge tone={left < 3600 ? 'warn' : 'info'}>
      <span title={'Due ' + when(sla.firstResponseDueAt)}>SLA due in {duration(left)}</span>
    </Badge>
  );
}
