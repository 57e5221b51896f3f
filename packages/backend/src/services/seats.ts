import { Op, QueryTypes } from 'sequelize';
import { RegistrationStatus, Role } from '@palco/sdk/protocol';
import type { Database } from '../db/database.js';
import { EventRow } from '../db/models.js';

/*
 * An event's seats are one counter on its row, `events.seats_taken`. A seat is claimed by one
 * conditional UPDATE (`seats_taken < capacity`): the database serialises the updates of one
 * row, so however many registrations race, on one process or many, exactly `capacity` of
 * them see an affected row. tests/registration/capacity.test.ts races 2 000 for 100 seats.
 */

/** Takes a seat of a capped event; false when none is left. */
export async function claimSeat(event: EventRow): Promise<boolean> {
  const [claimed] = await EventRow.update(
    { seats_taken: EventRow.sequelize!.literal('seats_taken + 1') as unknown as number },
    { where: { id: event.id, capacity: { [Op.ne]: null }, seats_taken: { [Op.lt]: EventRow.sequelize!.col('capacity') } } },
  );
  return claimed === 1;
}

/** Gives a seat back (a cancelled registration, or a claim whose insert failed). */
export async function releaseSeat(eventId: number): Promise<void> {
  await EventRow.update(
    { seats_taken: EventRow.sequelize!.literal('seats_taken - 1') as unknown as number },
    { where: { id: eventId, seats_taken: { [Op.gt]: 0 } } },
  );
}

/** Sets the counter to the registered attendees, when a capacity is set on an event that already has some. */
export async function recountSeats(db: Database, eventId: number): Promise<void> {
  await db.sequelize.query(
    `UPDATE events SET seats_taken = (SELECT COUNT(*) FROM users WHERE users.event_id = ? AND users.role = ? AND users.status = ?) WHERE id = ?`,
    { replacements: [eventId, Role.attendee, RegistrationStatus.registered, eventId], type: QueryTypes.UPDATE },
  );
}
