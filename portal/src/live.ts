// The notification stream (WebSocket through the gateway): one connection per signed-in tab.
// It reconnects with a growing pause and resumes from the last notification it saw, so nothing
// that arrived while it was away is missed; pushes and replays may overlap, hence the de-duplication.
import { useEffect, useState } from 'react';
import { streamUrl } from './api';

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

function open() {
  const url = streamUrl() + (lastSeenId ? '&lastSeenId=' + encodeURIComponent(lastSeenId) : '');
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    retryMs = 1000;
    update({ connected: true });
  };
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
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
    if (socket === ws) socket = null;
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
  socket?.close();
  socket = null;
  lastSeenId = null;
  update({ connected: false, unreadCount: null, arrived: [] });
}

/** Lets a page correct the count after it marked something read (the stream also sends it). */
export function setUnreadCount(count: number): void {
  update({ unreadCount: count });
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
