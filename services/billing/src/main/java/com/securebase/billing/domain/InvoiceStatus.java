package com.securebase.billing.domain;

import com.securebase.problem.ConflictProblem;
import java.util.Locale;
import java.util.Map;

/** {@code draft → finalized → paid | void}; a finalized invoice never changes its amounts. */
public enum InvoiceStatus {
  DRAFT,
  FINALIZED,
  PAID,
  VOID;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static InvoiceStatus of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }

  public boolean canMoveTo(InvoiceStatus to) {
    return switch (this) {
      case DRAFT -> to == FINALIZED;
      case FINALIZED -> to == PAID || to == VOID;
      case PAID, VOID -> false;
    };
  }

  /** Throws the 409 a client sees for a move the lifecycle does not allow. */
  public void checkMoveTo(InvoiceStatus to) {
    if (!canMoveTo(to)) {
      throw new ConflictProblem(
          "illegal-transition",
          "Illegal status change",
          "An invoice cannot go from " + code() + " to " + to.code(),
          Map.of("from", code(), "to", to.code()));
    }
  }
}
