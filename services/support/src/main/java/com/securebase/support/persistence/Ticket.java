package com.securebase.support.persistence;

import com.securebase.support.domain.Priority;
import com.securebase.support.domain.SlaClock;
import com.securebase.support.domain.TicketStatus;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A support ticket. No field initialisers: they would make every loaded row dirty. */
@Entity
@Table(name = "ticket")
public class Ticket extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String subject;
  public String description;
  public String priority;
  public String category;
  public String status;

  @Column(name = "assignee_id")
  public UUID assigneeId;

  @Column(name = "requester_id")
  public UUID requesterId;

  public String tags;

  @Column(name = "first_response_due_at")
  public OffsetDateTime firstResponseDueAt;

  @Column(name = "responded_at")
  public OffsetDateTime respondedAt;

  @Column(name = "sla_breached_at")
  public OffsetDateTime slaBreachedAt;

  @Column(name = "public_text")
  public String publicText;

  @Column(name = "internal_text")
  public String internalText;

  /** Starts at 1, bumped by every change; the ETag and If-Match value. */
  public int version;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Column(name = "resolved_at")
  public OffsetDateTime resolvedAt;

  @Column(name = "closed_at")
  public OffsetDateTime closedAt;

  public static Ticket open(
      UUID tenantId,
      UUID requesterId,
      String subject,
      String description,
      Priority priority,
      String category,
      List<String> tags,
      OffsetDateTime now) {
    Ticket t = new Ticket();
    t.id = UUID.randomUUID();
    t.tenantId = tenantId;
    t.requesterId = requesterId;
    t.subject = subject;
    t.description = description == null ? "" : description;
    t.priority = priority.code();
    t.category = category;
    t.status = TicketStatus.OPEN.code();
    t.tags = String.join(",", tags);
    t.firstResponseDueAt = now.plus(priority.firstResponseTarget());
    t.publicText = "";
    t.internalText = "";
    t.version = 1;
    t.createdAt = now;
    t.updatedAt = now;
    return t;
  }

  public Priority priorityValue() {
    return Priority.fromCode(priority);
  }

  public TicketStatus statusValue() {
    return TicketStatus.fromCode(status);
  }

  public List<String> tagList() {
    return tags.isEmpty() ? List.of() : Arrays.asList(tags.split(","));
  }

  public SlaClock sla() {
    return new SlaClock(
        firstResponseDueAt.toInstant(),
        respondedAt == null ? null : respondedAt.toInstant(),
        slaBreachedAt == null ? null : slaBreachedAt.toInstant(),
        priorityValue().firstResponseTarget());
  }
}
