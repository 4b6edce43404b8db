package com.securebase.notifications.persistence;

import com.securebase.events.EventEnvelope;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;

/**
 * The instant the service was first deployed (V2__intake_horizon.sql). The domain consumers start
 * from the earliest offset when they have none committed, so nothing published while a replica was
 * down is skipped; what happened before this instant is not announced to anyone.
 */
@ApplicationScoped
public class IntakeHorizon {
  @Inject TenantConnections connections;

  private Uni<OffsetDateTime> since;

  /**
   * @return whether the event happened before the service existed (read once, then cached)
   */
  public Uni<Boolean> isHistory(EventEnvelope event) {
    return since().map(since -> event.time().isBefore(since));
  }

  private synchronized Uni<OffsetDateTime> since() {
    if (since == null) {
      since =
          connections
              .asSystem(
                  connection ->
                      connection
                          .query("select since from intake_horizon")
                          .execute()
                          .map(rows -> rows.iterator().next().getOffsetDateTime("since")))
              .memoize()
              .indefinitely();
    }
    return since;
  }
}
