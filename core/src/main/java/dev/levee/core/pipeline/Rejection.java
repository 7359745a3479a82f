package dev.levee.core.pipeline;

/** Why Levee refused a call without (re)sending it. */
public enum Rejection {
  CIRCUIT_OPEN,
  BULKHEAD_FULL,
  DEADLINE_EXPIRED
}
