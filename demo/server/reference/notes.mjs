import { randomUUID } from 'node:crypto'
import { charCount, HttpError } from '../http/http-util.mjs'

const MAX_NOTES_PER_USER = 500

/** Length limits of a note, in characters. */
const MIN_NOTE_LENGTH = 1
const MAX_NOTE_LENGTH = 500

/**
 * @typedef {{ id: string, text: string, createdAt: number }} Note
 * @typedef {Map<string, Note[]>} Notes every user's notes, by username
 */

/**
 * The notes of a user, oldest first (the SPA's /api/notes and the /classic/ pages share them).
 * @param {Notes} notes `state.notes`
 * @param {string} user
 * @returns {Note[]}
 */
export function notesOf(notes, user) {
  return notes.get(user) ?? []
}

/**
 * Add a note: 400 `invalid_request` unless text is 1-500 characters, 409
 * `too_many_notes` past 500 notes.
 * @param {Notes} notes `state.notes`
 * @param {string} user
 * @param {unknown} text
 * @returns {Note} the new note
 */
export function addNote(notes, user, text) {
  if (typeof text !== 'string' || charCount(text) < MIN_NOTE_LENGTH || charCount(text) > MAX_NOTE_LENGTH)
    throw new HttpError(400, 'invalid_request')
  const list = notes.get(user) ?? []
  if (list.length >= MAX_NOTES_PER_USER) throw new HttpError(409, 'too_many_notes')
  const note = { id: randomUUID(), text, createdAt: Date.now() }
  list.push(note)
  notes.set(user, list)
  return note
}

/**
 * Delete every note of a user.
 * @param {Notes} notes `state.notes`
 * @param {string} user
 * @returns {number} how many there were
 */
export function deleteNotes(notes, user) {
  const count = notesOf(notes, user).length
  notes.delete(user)
  return count
}
