package com.securebase.support.messaging;

import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.messaging.AuditTrail;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.messaging.Outbox;
import com.securebase.support.domain.SlaClock;
import com.securebase.support.persistence.Ticket;
import com.securebase.support.persistence.TicketComment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Support's events, written to the outbox in the transaction of the change they describe. */
@ApplicationScoped
public class SupportEvents {
  private static final int EXCERPT = 280;
  private final DomainEvents events = new DomainEvents("support");

  @Inject Outbox outbox;
  @Inject AuditTrail audit;

  /** The create's event, written with the ticket in one statement (see {@code TicketRows}). */
  public EventEnvelope created(Ticket t, Instant now) {
    return event("created", t, ticket(t, now));
  }

  /** Once a statement that wrote events on a plain connection has committed. */
  public void committed() {
    outbox.wakeRelay();
  }

  /** An update; a status change also leaves an audit entry. */
  public Uni<Void> updated(
      Ticket t, List<String> changes, String previousStatus, Actor actor, Instant now) {
    Map<String, Object> data = ticket(t, now);
    data.put("changes", changes);
    if (previousStatus != null) {
      data.put("previousStatus", previousStatus);
    }
    Uni<Void> written = outbox.append(event("updated", t, data));
    if (previousStatus == null) {
      return written;
    }
    return written.chain(
        () ->
            audit.record(
                t.tenantId.toString(),
                actor,
                "ticket.status_changed",
                "ticket",
                t.id.toString(),
                true,
                null,
                Map.of("from", previousStatus, "to", t.status)));
  }

  public Uni<Void> commented(Ticket t, TicketComment c, boolean firstResponse) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", t.tenantId.toString());
    data.put("ticketId", t.id.toString());
    data.put("commentId", c.id.toString());
    data.put("authorId", c.authorId.toString());
    data.put("visibility", c.visibility);
    data.put("excerpt", c.body.length() <= EXCERPT ? c.body : c.body.substring(0, EXCERPT));
    data.put("firstResponse", firstResponse);
    data.put("subject", t.subject);
    data.put("priority", t.priority);
    data.put("status", t.status);
    data.put("assigneeId", id(t.assigneeId));
    data.put("requesterId", t.requesterId.toString());
    data.put("createdAt", utc(c.createdAt));
    return outbox.append(
        events.create(
            "securebase.support.ticket.commented", t.tenantId.toString(), t.id.toString(), data));
  }

  public Uni<Void> slaBreached(Ticket t, Instant now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", t.tenantId.toString());
    data.put("ticketId", t.id.toString());
    data.put("subject", t.subject);
    data.put("priority", t.priority);
    data.put("status", t.status);
    data.put("assigneeId", id(t.assigneeId));
    data.put("requesterId", t.requesterId.toString());
    data.put("slaTargetMinutes", t.priorityValue().firstResponseTarget().toMinutes());
    data.put("ticketCreatedAt", utc(t.createdAt));
    data.put("firstResponseDueAt", utc(t.firstResponseDueAt));
    data.put("breachedAt", now.toString());
    return outbox.append(
        events.create(
            "securebase.support.ticket.sla_breached",
            t.tenantId.toString(),
            t.id.toString(),
            data));
  }

  /** The retention purge removed a closed ticket: audited, as the contract requires. */
  public Uni<Void> purged(Ticket t, String retention) {
    return audit.record(
        t.tenantId.toString(),
        Actor.system("support-retention"),
        "ticket.purged",
        "ticket",
        t.id.toString(),
        true,
        null,
        Map.of("closedAt", utc(t.closedAt), "retention", retention));
  }

  private Map<String, Object> ticket(Ticket t, Instant now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("ticketId", t.id.toString());
    data.put("tenantId", t.tenantId.toString());
    data.put("subject", t.subject);
    data.put("priority", t.priority);
    data.put("status", t.status);
    data.put("category", t.category);
    data.put("assigneeId", id(t.assigneeId));
    data.put("requesterId", t.requesterId.toString());
    data.put("tags", t.tagList());
    SlaClock sla = t.sla();
    Map<String, Object> slaState = new LinkedHashMap<>();
    slaState.put("firstResponseDueAt", sla.firstResponseDueAt().toString());
    slaState.put("state", sla.state(now).code());
    slaState.put("respondedAt", sla.respondedAt() == null ? null : sla.respondedAt().toString());
    data.put("slaState", slaState);
    data.put("createdAt", utc(t.createdAt));
    data.put("updatedAt", utc(t.updatedAt));
    data.put("version", t.version);
    return data;
  }

  private EventEnvelope event(String verb, Ticket t, Map<String, Object> data) {
    return events.create(
        "securebase.support.ticket." + verb, t.tenantId.toString(), t.id.toString(), data);
  }

  private static String id(java.util.UUID id) {
    return id == null ? null : id.toString();
  }

  private static String utc(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}
