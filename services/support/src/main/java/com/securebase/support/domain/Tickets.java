package com.securebase.support.domain;

import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.support.messaging.SupportEvents;
import com.securebase.support.persistence.Ticket;
import com.securebase.support.persistence.TicketComment;
import com.securebase.support.persistence.TicketRows;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Ticket rules. Staff (owner, admin, support) act on every ticket of their tenant; anyone else sees
 * and acts on the tickets they requested, never sees internal notes, and may only edit the text and
 * tags, close a resolved ticket or reopen it. Another user's ticket is a 404, as is another
 * tenant's.
 */
@ApplicationScoped
public class Tickets {
  @Inject TenantTransactions tx;
  @Inject TenantConnections connections;
  @Inject SupportEvents events;
  @Inject Clock clock;

  /** The change a PATCH asks for (null = leave as is). */
  public record Change(
      String subject,
      String description,
      Priority priority,
      String category,
      TicketStatus status,
      UUID assigneeId,
      boolean unassign,
      List<String> tags) {}

  public static boolean isStaff(Caller caller) {
    return caller.hasAnyRole(Roles.OWNER, Roles.ADMIN, Roles.SUPPORT);
  }

  /** The caller's id as a requester or author (users and API keys both have UUID subjects). */
  public static UUID actorId(Caller caller) {
    try {
      return UUID.fromString(caller.subject());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ProblemException(403, "forbidden", "Forbidden", "The token has no usable subject");
    }
  }

  public Instant now() {
    return clock.instant();
  }

  public Uni<Ticket> create(
      Caller caller,
      String subject,
      String description,
      Priority priority,
      String category,
      List<String> tags,
      UUID assigneeId,
      UUID requesterId) {
    boolean staff = isStaff(caller);
    if (!staff && (assigneeId != null || requesterId != null)) {
      throw staffOnly(assigneeId != null ? "assigneeId" : "requesterId");
    }
    Instant now = now();
    Ticket t =
        Ticket.open(
            caller.tenantId(),
            requesterId != null ? requesterId : actorId(caller),
            subject,
            description,
            priority,
            category,
            tags == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(tags)),
            now.atOffset(ZoneOffset.UTC));
    t.assigneeId = assigneeId;
    // The ticket and its event: one statement in the tenant's scope, its own transaction.
    return TicketRows.create(connections, t, events.created(t, now))
        .invoke(events::committed)
        .replaceWith(t);
  }

  /** The ticket if the caller may see it; 404 otherwise (other tenant, or not theirs). */
  public Uni<Ticket> visible(Caller caller, UUID id, boolean lock) {
    Uni<Ticket> found =
        lock ? Ticket.findById(id, LockModeType.PESSIMISTIC_WRITE) : Ticket.findById(id);
    return found.map(
        t -> {
          if (t == null || (!isStaff(caller) && !t.requesterId.equals(actorId(caller)))) {
            throw new NotFoundProblem("Ticket", id);
          }
          return t;
        });
  }

  public Uni<TicketWithComments> get(Caller caller, UUID id) {
    return tx.inTenant(
        caller.tenantId(),
        s ->
            visible(caller, id, false)
                .chain(
                    t ->
                        TicketComment.of(id, isStaff(caller))
                            .map(comments -> new TicketWithComments(t, comments))));
  }

  public record TicketWithComments(Ticket ticket, List<TicketComment> comments) {}

  /**
   * Applies a change under a row lock; {@code expectedVersion} (from If-Match) makes a stale write
   * a 412 instead of silently overwriting someone else's change.
   */
  public Uni<Ticket> update(Caller caller, UUID id, Integer expectedVersion, Change change) {
    Instant now = now();
    return tx.inTenant(
        caller.tenantId(),
        s ->
            visible(caller, id, true)
                .chain(
                    t -> {
                      if (expectedVersion != null && expectedVersion != t.version) {
                        throw new ProblemException(
                            412,
                            "stale-version",
                            "Precondition failed",
                            "The ticket is at version "
                                + t.version
                                + ", not "
                                + expectedVersion
                                + "; fetch it again and reapply the change",
                            Map.of("currentVersion", t.version));
                      }
                      String previousStatus = t.status;
                      List<String> changes = apply(caller, t, change, now);
                      if (changes.isEmpty()) {
                        return Uni.createFrom().item(t);
                      }
                      t.version++;
                      t.updatedAt = now.atOffset(ZoneOffset.UTC);
                      boolean statusChanged = !previousStatus.equals(t.status);
                      return events
                          .updated(
                              t,
                              changes,
                              statusChanged ? previousStatus : null,
                              Actor.of(caller),
                              now)
                          .replaceWith(t);
                    }));
  }

  private List<String> apply(Caller caller, Ticket t, Change c, Instant now) {
    boolean staff = isStaff(caller);
    List<String> changes = new ArrayList<>();
    if (!staff) {
      if (c.priority() != null) {
        throw staffOnly("priority");
      }
      if (c.category() != null) {
        throw staffOnly("category");
      }
      if (c.assigneeId() != null || c.unassign()) {
        throw staffOnly("assigneeId");
      }
    }
    if (c.assigneeId() != null && c.unassign()) {
      throw ProblemException.invalidField("unassign", "cannot be combined with assigneeId");
    }
    if (c.subject() != null && !c.subject().equals(t.subject)) {
      t.subject = c.subject();
      changes.add("subject");
    }
    if (c.description() != null && !c.description().equals(t.description)) {
      t.description = c.description();
      changes.add("description");
    }
    if (c.category() != null && !c.category().equals(t.category)) {
      t.category = c.category();
      changes.add("category");
    }
    if (c.tags() != null) {
      String tags = String.join(",", new java.util.LinkedHashSet<>(c.tags()));
      if (!tags.equals(t.tags)) {
        t.tags = tags;
        changes.add("tags");
      }
    }
    if (c.assigneeId() != null && !c.assigneeId().equals(t.assigneeId)) {
      t.assigneeId = c.assigneeId();
      changes.add("assigneeId");
    } else if (c.unassign() && t.assigneeId != null) {
      t.assigneeId = null;
      changes.add("assigneeId");
    }
    if (c.priority() != null && !c.priority().code().equals(t.priority)) {
      t.priority = c.priority().code();
      changes.add("priority");
      // The deadline follows the priority until the first response or a breach fixes it.
      if (t.respondedAt == null && t.slaBreachedAt == null) {
        t.firstResponseDueAt =
            SlaClock.dueAt(t.createdAt.toInstant(), c.priority()).atOffset(ZoneOffset.UTC);
        changes.add("slaState");
      }
    }
    if (c.status() != null && !c.status().code().equals(t.status)) {
      TicketStatus from = t.statusValue();
      from.checkMoveTo(c.status());
      boolean requesterMove =
          (from == TicketStatus.RESOLVED)
              && (c.status() == TicketStatus.CLOSED || c.status() == TicketStatus.OPEN);
      if (!staff && !requesterMove) {
        throw staffOnly("status");
      }
      OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
      t.status = c.status().code();
      switch (c.status()) {
        case RESOLVED -> t.resolvedAt = at;
        case CLOSED -> t.closedAt = at;
        case OPEN -> t.resolvedAt = null;
        default -> {}
      }
      changes.add("status");
    }
    return changes;
  }

  /**
   * Adds a comment. The first public reply by staff other than the requester stops the SLA clock.
   */
  public Uni<TicketComment> comment(Caller caller, UUID ticketId, String body, boolean internal) {
    boolean staff = isStaff(caller);
    if (internal && !staff) {
      throw staffOnly("visibility");
    }
    UUID author = actorId(caller);
    Instant now = now();
    return tx.inTenant(
        caller.tenantId(),
        s ->
            visible(caller, ticketId, true)
                .chain(
                    t -> {
                      TicketComment c = new TicketComment();
                      c.id = UUID.randomUUID();
                      c.tenantId = t.tenantId;
                      c.ticketId = t.id;
                      c.authorId = author;
                      c.visibility = internal ? TicketComment.INTERNAL : TicketComment.PUBLIC;
                      c.body = body;
                      c.createdAt = now.atOffset(ZoneOffset.UTC);
                      boolean firstResponse =
                          !internal
                              && staff
                              && !Objects.equals(author, t.requesterId)
                              && t.respondedAt == null;
                      if (firstResponse) {
                        t.respondedAt = c.createdAt;
                      }
                      if (internal) {
                        t.internalText = t.internalText + "\n" + body;
                      } else {
                        t.publicText = t.publicText + "\n" + body;
                      }
                      t.version++;
                      t.updatedAt = c.createdAt;
                      return c.<TicketComment>persist()
                          .call(() -> events.commented(t, c, firstResponse));
                    }));
  }

  public Uni<List<TicketComment>> comments(Caller caller, UUID ticketId) {
    return tx.inTenant(
        caller.tenantId(),
        s ->
            visible(caller, ticketId, false)
                .chain(t -> TicketComment.of(ticketId, isStaff(caller))));
  }

  private static ProblemException staffOnly(String field) {
    return new ProblemException(
        403,
        "forbidden-field",
        "Not allowed",
        "Only support staff (owner, admin, support) may set " + field,
        Map.of("field", field));
  }
}
