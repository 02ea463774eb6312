import { randomUUID } from 'node:crypto';
import { HttpError, charCount } from '../http/http-util.mjs';

const MAX_NOTES_PER_USER = 500;

/**
 * The notes of a user, oldest first (the SPA's /api/notes and the /classic/ pages share them).
 * @param {Map<string, object[]>} notes `state.notes`
 * @param {string} user
 * @returns {{ id: string, text: string, createdAt: number }[]}
 */
export function notesOf(notes, user) {
  return notes.get(user) ?? [];
}

/**
 * Add a note: 400 `invalid_request` unless text is 1-500 characters, 409
 * `too_many_notes` past 500 notes.
 * @param {Map<string, object[]>} notes `state.notes`
 * @param {string} user
 * @param {unknown} text
 * @returns {{ id: string, text: string, createdAt: number }} the new note
 */
export function addNote(notes, user, text) {
  if (typeof text !== 'string' || charCount(text) < 1 || charCount(text) > 500) throw new HttpError(400, 'invalid_request');
  const list = notes.get(user) ?? [];
  if (list.length >= MAX_NOTES_PER_USER) throw new HttpError(409, 'too_many_notes');
  const note = { id: randomUUID(), text, createdAt: Date.now() };
  list.push(note);
  notes.set(user, list);
  return note;
}
