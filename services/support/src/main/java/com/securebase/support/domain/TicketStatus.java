package com.securebase.support.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import com.securebase.problem.ConflictProblem;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The ticket status machine: open → in_progress → resolved → closed, and resolved → open. */
// In TicketRequests.View, a Response entity: @JsonValue needs reflection.
@RegisterForReflection
public enum TicketStatus {
  OPEN,
  IN_PROGRESS,
  RESOLVED,
  CLOSED;

  private static final Map<TicketStatus, Set<TicketStatus>> NEXT =
      Map.of(
          OPEN, Set.of(IN_PROGRESS),
          IN_PROGRESS, Set.of(RESOLVED),
          RESOLVED, Set.of(CLOSED, OPEN),
          CLOSED, Set.of());

  public boolean canMoveTo(TicketStatus next) {
    return NEXT.get(this).contains(next);
  }

  /**
   * @throws ConflictProblem 409 {@code illegal-transition} naming both states
   */
  public void checkMoveTo(TicketStatus next) {
    if (!canMoveTo(next)) {
      throw new ConflictProblem(
          "illegal-transition",
          "Illegal status transition",
          "A ticket cannot go from " + code() + " to " + next.code(),
          Map.of("from", code(), "to", next.code()));
    }
  }

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TicketStatus fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
