/**
 * Historical market events and the windows Deuterium studies them over: from the last
 * close before the turmoil to the trough (or the end of the acute phase) of broad equity
 * markets. Chosen by Deuterium from the public record of each event.
 */
export const EVENT_WINDOWS = {
  dot_com_bubble: { start: '2000-03-10', end: '2002-10-09' },
  '2008_financial_crisis': { start: '2007-10-09', end: '2009-03-09' },
  brexit: { start: '2016-06-23', end: '2016-06-27' },
  '2011_black_monday': { start: '2011-07-22', end: '2011-10-03' },
  september_eleventh: { start: '2001-09-10', end: '2001-09-21' },
  '1987_black_monday': { start: '1987-10-14', end: '1987-10-19' },
  '1992_black_wednesday': { start: '1992-09-15', end: '1992-09-17' },
  '1997_asian_financial_crisis': { start: '1997-07-02', end: '1998-01-12' },
} as const;

export type EventName = keyof typeof EVENT_WINDOWS;
export const EVENT_NAMES = Object.keys(EVENT_WINDOWS) as EventName[];
