package com.securebase.support.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;

/**
 * The first-response SLA of one ticket: due at creation + the priority's target; met by the first
 * public reply from the support side; breached once the deadline passes without one.
 */
public record SlaClock(
    Instant firstResponseDueAt, Instant respondedAt, Instant breachedAt, Duration target) {

  // In TicketRequests.Sla, part of a Response entity: @JsonValue needs reflection.
  @RegisterForReflection
  public enum State {
    PENDING,
    MET,
    BREACHED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static Instant dueAt(Instant createdAt, Priority priority) {
    return createdAt.plus(priority.firstResponseTarget());
  }

  public State state(Instant now) {
    if (respondedAt != null) {
      return respondedAt.isAfter(firstResponseDueAt) ? State.BREACHED : State.MET;
    }
    return breachedAt != null || now.isAfter(firstResponseDueAt) ? State.BREACHED : State.PENDING;
  }

  /** Time left while pending, otherwise null. */
  public Long secondsLeft(Instant now) {
    return state(now) == State.PENDING
        ? Duration.between(now, firstResponseDueAt).toSeconds()
        : null;
  }
}
