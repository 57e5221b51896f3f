import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Role } from '@palco/sdk/protocol';
import { Attendance, type Attendee, type AttendanceListener } from './attendance.js';
import { Connection } from './connection.js';

const socket = { OPEN: 1, readyState: 1 } as unknown as WebSocket;

function connection(userId: number, role: Role, eventId = 1, connectedAt = 1_000) {
  const member = { id: userId, name: `P${userId}`, role, eventId, chat_blocked: false, qa_blocked: false, banned: false, chat_blocked_until: null, qa_blocked_until: null };
  return new Connection(socket, member, eventId, 'es', connectedAt, 1024, () => {});
}

function recorder() {
  const heard: string[] = [];
  const listener: AttendanceListener = {
    arrived: (eventId: number, attendee: Attendee) => heard.push(`arrived ${eventId}:${attendee.userId} since ${attendee.since}`),
    left: (eventId: number, userId: number) => heard.push(`left ${eventId}:${userId}`),
  };
  return { heard, listener };
}

describe('Attendance', () => {
  it('raises arrived for the first socket of an attendee in an event and left for the last one gone', () => {
    const { heard, listener } = recorder();
    const attendance = new Attendance([listener]);
    const tabs = [connection(7, Role.viewer, 1, 1_000), connection(7, Role.viewer, 1, 2_000)];
    for (const tab of tabs) attendance.add(tab);
    expect(heard).toEqual(['arrived 1:7 since 1000']);
    attendance.remove(tabs[0]!);
    expect(heard).toEqual(['arrived 1:7 since 1000']);
    attendance.remove(tabs[1]!);
    expect(heard).toEqual(['arrived 1:7 since 1000', 'left 1:7']);
    attendance.remove(tabs[1]!);
    expect(heard).toHaveLength(2);
  });

  it('counts one person in two events twice, and staff never', () => {
    const { heard, listener } = recorder();
    const attendance = new Attendance([listener]);
    const moderator = connection(3, Role.moderator);
    attendance.add(connection(7, Role.viewer, 1));
    attendance.add(connection(7, Role.viewer, 2));
    attendance.add(moderator);
    expect(heard).toEqual(['arrived 1:7 since 1000', 'arrived 2:7 since 1000']);
    expect([...attendance.socketsOf(1, 3)]).toEqual([moderator]);
    attendance.remove(moderator);
    expect(heard).toHaveLength(2);
    expect([...attendance.attendees(1)].map((attendee) => attendee.userId)).toEqual([7]);
  });

  it('keeps the start of a stretch while any of its sockets is open', () => {
    const attendance = new Attendance([]);
    const first = connection(7, Role.viewer, 1, 1_000);
    attendance.add(first);
    attendance.add(connection(7, Role.viewer, 1, 5_000));
    attendance.remove(first);
    expect([...attendance.attendees(1)]).toEqual([{ userId: 7, name: 'P7', role: Role.viewer, since: 1_000 }]);
  });
});
