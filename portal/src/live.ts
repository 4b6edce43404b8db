// The notification stream (WebSocket through the gateway): one connection per signed-in tab.
// It reconnects with a growing pause and resumes from the last notification it saw, so nothing
// that arrived while it was away is missed; pushes and replays may overlap, hence the de-duplication.
import { useEffect, useState } from 'react';
import { freshToken, streamUrl } from './api';

export type Notification = {
  id: string;
  type: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  body: string;
  link?: string | null;
  read: boolean;
  readAt?: string | null;
  createdAt: string;
};

type State = { connected: boolean; unreadCount: number | null; arrived: Notification[] };

let state: State = { connected: false, unreadCount: null, arrived: [] };
const listeners = new Set<(s: State) => void>();
let socket: WebSocket | null = null;
let lastSeenId: string | null = null;
let retryMs = 1000;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let wanted = false;

function update(patch: Partial<State>) {
  state = { ...state, ...patch };
  listeners.forEach((l) => l(state));
}

async function open() {
  const token = await freshToken();
  if (!wanted || !token) return;
  const url = streamUrl(token) + (lastSeenId ? '&lastSeenId=' + encodeURIComponent(lastSeenId) : '');
  const ws = new WebSocket(url);
  const previous = socket;
  socket = ws;
  previous?.close(); // two opens raced (a quick disconnect and connect): keep the newest
  ws.onopen = () => {
    if (socket !== ws) return;
    retryMs = 1000;
    update({ connected: true });
  };
  ws.onmessage = (event) => {
    if (socket !== ws) return; // a socket replaced by a newer one
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.type === 'notification') {
      const n = message.notification as Notification;
      lastSeenId = n.id;
      if (!state.arrived.some((a) => a.id === n.id)) update({ arrived: [n, ...state.arrived].slice(0, 50) });
    } else if (message.type === 'unread_count') {
      update({ unreadCount: message.unreadCount });
    } else if (message.type === 'resync_required') {
      lastSeenId = null;
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return; // closed on purpose, or replaced: not this socket's reconnect
    socket = null;
    update({ connected: false });
    if (wanted) {
      retryTimer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 30_000);
    }
  };
}

export function connect(): void {
  if (wanted) return;
  wanted = true;
  open();
}

export function disconnect(): void {
  wanted = false;
  clearTimeout(retryTimer);
  const closing = socket;
  socket = null;
  closing?.close();
  lastSeenId = null;
  update({ connected: false, unreadCount: null, arrived: [] });
}

/** Lets a page correct the count after it marked something read (the stream also sends it). */
export function setUnreadCount(count: number): void {
  update({ unreadCount: count });
}

/**
 * Keeps the arrivals in step with what a page changed: marked read or unread (a patch), or deleted
 * (null). Without it, a notification marked read would come back as new from the arrivals.
 */
export function changeArrived(ids: readonly string[] | 'all', patch: Partial<Notification> | null): void {
  const hit = (n: Notification) => ids === 'all' || ids.includes(n.id);
  update({ arrived: patch ? state.arrived.map((n) => (hit(n) ? { ...n, ...patch } : n)) : state.arrived.filter((n) => !hit(n)) });
}

export function useLive(): State {
  const [s, set] = useState(state);
  useEffect(() => {
    listeners.add(set);
    set(state);
    return () => {
      listeners.delete(set);
    };
  }, []);
  return s;
}
