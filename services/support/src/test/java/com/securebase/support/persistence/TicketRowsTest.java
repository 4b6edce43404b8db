package com.securebase.support.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securebase.events.EventEnvelope;
import com.securebase.support.domain.Priority;
import com.securebase.support.messaging.SupportEvents;
import com.securebase.tenancy.TenantConnections;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The create's one statement over the real Postgres: the tenant scope it opens with holds for the
 * row-level security check of the ticket it writes, and the ticket and its outbox event commit
 * together or not at all.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "support"))
class TicketRowsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject TenantConnections connections;
  @Inject SupportEvents events;

  private Ticket ticket(UUID tenant) {
    return Ticket.open(
        tenant,
        UUID.randomUUID(),
        "One statement",
        "Ticket and event together",
        Priority.HIGH,
        "billing",
        List.of("a"),
        Instant.now().atOffset(ZoneOffset.UTC));
  }

  @Test
  void theTicketAndItsEventCommitTogetherInTheTenantsScope() {
    Ticket t = ticket(UUID.randomUUID());
    EventEnvelope created = events.created(t, Instant.now());
    TicketRows.create(connections, t, created).await().atMost(WAIT);

    assertThat(
            TestDatabase.count("select count(*) from ticket where id = ?::uuid", t.id.toString()))
        .isEqualTo(1);
    assertThat(
            TestDatabase.rows(
                "select tenant_id, event_type, topic from outbox_event where event_id = ?::uuid",
                created.id()))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get("tenant_id")).isEqualTo(t.tenantId.toString());
              assertThat(row.get("event_type")).isEqualTo("securebase.support.ticket.created");
              assertThat(row.get("topic")).isEqualTo("securebase.support.events");
            });
  }

  @Test
  void aTicketOfAnotherTenantThanTheScopeIsRefusedAndItsEventIsNotWritten() {
    Ticket t = ticket(UUID.randomUUID());
    EventEnvelope created = events.created(t, Instant.now());
    assertThatThrownBy(
            () ->
                TicketRows.create(connections, UUID.randomUUID(), t, created).await().atMost(WAIT))
        .hasMessageContaining("row-level security");

    assertThat(
            TestDatabase.count("select count(*) from ticket where id = ?::uuid", t.id.toString()))
        .isZero();
    assertThat(
            TestDatabase.count(
                "select count(*) from outbox_event where event_id = ?::uuid", created.id()))
        .isZero();
  }
}
