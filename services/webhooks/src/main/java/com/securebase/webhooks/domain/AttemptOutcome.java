package com.securebase.webhooks.domain;

import java.util.Locale;

/** How one delivery attempt ended (stored in {@code attempt.outcome}). */
public enum AttemptOutcome {
  SUCCEEDED,
  /** A non-2xx answer other than 410. */
  FAILED,
  /** No complete answer within the 15 s timeout. */
  TIMEOUT,
  /** DNS failure, refused or reset connection, TLS failure. */
  CONNECTION_ERROR,
  /** The SSRF guard refused the resolved address. */
  REFUSED,
  /** 410 Gone: the receiver asks us to stop; the endpoint is disabled. */
  GONE;

  public static AttemptOutcome ofStatus(int status) {
    if (status >= 200 && status < 300) {
      return SUCCEEDED;
    }
    return status == 410 ? GONE : FAILED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
