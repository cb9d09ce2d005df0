import type { EventName, EventPayload } from '../../shared/ipc';

/** Sends one main→renderer event to every subscriber. */
export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
