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

  // Kept once read; a failed read (the database down) is not kept, so the consumer's retry reads
  // again.
  private volatile OffsetDateTime since;

  /**
   * @return whether the event happened before the service existed
   */
  public Uni<Boolean> isHistory(EventEnvelope event) {
    OffsetDateTime known = since;
    Uni<OffsetDateTime> horizon =
        known != null ? Uni.createFrom().item(known) : read().invoke(value -> since = value);
    return horizon.map(instant -> event.time().isBefore(instant));
  }

  private Uni<OffsetDateTime> read() {
    return connections.asSystem(
        connection ->
            connection
                .query("select since from intake_horizon")
                .execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime("since")));
  }
}
