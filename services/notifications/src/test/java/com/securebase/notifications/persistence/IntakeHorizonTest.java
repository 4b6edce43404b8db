package com.securebase.notifications.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.securebase.events.EventEnvelope;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The horizon's caching, with the database stood in for (InboxApiTest covers the horizon over the
 * real one): a read that failed must be tried again, or one outage at start-up would stall the
 * intake for good.
 */
class IntakeHorizonTest {
  private static final OffsetDateTime SINCE = OffsetDateTime.parse("2026-12-01T00:00:00Z");

  @Test
  void aFailedReadIsTriedAgainAndASuccessfulOneIsKept() {
    AtomicInteger reads = new AtomicInteger();
    IntakeHorizon horizon = new IntakeHorizon();
    horizon.connections =
        new TenantConnections() {
          @Override
          @SuppressWarnings("unchecked")
          public <T> Uni<T> asSystem(Function<SqlConnection, Uni<T>> work) {
            return reads.incrementAndGet() == 1
                ? Uni.createFrom().failure(new IllegalStateException("database down"))
                : Uni.createFrom().item((T) SINCE);
          }
        };

    assertThatThrownBy(() -> horizon.isHistory(at("2026-11-30T00:00:00Z")).await().indefinitely())
        .hasMessage("database down");
    assertThat(horizon.isHistory(at("2026-11-30T00:00:00Z")).await().indefinitely()).isTrue();
    assertThat(horizon.isHistory(at("2026-12-02T00:00:00Z")).await().indefinitely()).isFalse();
    assertThat(reads).hasValue(2);
  }

  private static EventEnvelope at(String time) {
    return new EventEnvelope(
        UUID.randomUUID().toString(),
        "securebase.support.ticket.created",
        URI.create("/securebase/support"),
        UUID.randomUUID().toString(),
        null,
        OffsetDateTime.parse(time),
        null,
        JsonNodeFactory.instance.objectNode());
  }
}
