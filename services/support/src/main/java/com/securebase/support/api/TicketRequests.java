package com.securebase.support.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.securebase.support.domain.Priority;
import com.securebase.support.domain.SlaClock;
import com.securebase.support.domain.TicketStatus;
import com.securebase.support.persistence.Ticket;
import com.securebase.support.persistence.TicketComment;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of {@link TicketResource}. */
public final class TicketRequests {
  private TicketRequests() {}

  /** A tag: no commas (they separate tags in storage), no surrounding blanks. */
  static final String TAG = "^[^,\\s](?:[^,]*[^,\\s])?$";

  public record Create(
      @NotBlank @Size(max = 500) String subject,
      @Size(max = 20_000) String description,
      @NotNull Priority priority,
      @Size(max = 100) String category,
      @Size(max = 20) List<@NotNull @Size(min = 1, max = 64) @Pattern(regexp = TAG) String> tags,
      UUID assigneeId,
      UUID requesterId) {}

  /** Absent fields are left as they are; {@code unassign: true} clears the assignee. */
  public record Update(
      @Size(min = 1, max = 500) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
          String subject,
      @Size(max = 20_000) String description,
      Priority priority,
      @Size(max = 100) String category,
      TicketStatus status,
      UUID assigneeId,
      Boolean unassign,
      @Size(max = 20) List<@NotNull @Size(min = 1, max = 64) @Pattern(regexp = TAG) String> tags) {}

  public enum Visibility {
    PUBLIC,
    INTERNAL;

    @com.fasterxml.jackson.annotation.JsonValue
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public record NewComment(@NotBlank @Size(max = 20_000) String body, Visibility visibility) {}

  // Nested in View.
  @RegisterForReflection
  public record Sla(
      SlaClock.State state,
      long targetMinutes,
      Instant firstResponseDueAt,
      Instant respondedAt,
      Instant breachedAt,
      Long secondsLeft) {
    static Sla of(Ticket t, Instant now) {
      SlaClock sla = t.sla();
      return new Sla(
          sla.state(now),
          sla.target().toMinutes(),
          sla.firstResponseDueAt(),
          sla.respondedAt(),
          sla.breachedAt(),
          sla.secondsLeft(now));
    }
  }

  // Response.created entity of TicketResource.comment; nested in View.
  @RegisterForReflection
  public record CommentView(
      UUID id, UUID ticketId, UUID authorId, String visibility, String body, Instant createdAt) {
    static CommentView of(TicketComment c) {
      return new CommentView(
          c.id, c.ticketId, c.authorId, c.visibility, c.body, c.createdAt.toInstant());
    }
  }

  // Response entity of TicketResource.create, get and update.
  @RegisterForReflection
  public record View(
      UUID id,
      String subject,
      String description,
      Priority priority,
      String category,
      TicketStatus status,
      UUID assigneeId,
      UUID requesterId,
      List<String> tags,
      Sla sla,
      int version,
      Instant createdAt,
      Instant updatedAt,
      Instant resolvedAt,
      Instant closedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<CommentView> comments) {
    static View of(Ticket t, Instant now, List<TicketComment> comments) {
      return new View(
          t.id,
          t.subject,
          t.description,
          t.priorityValue(),
          t.category,
          t.statusValue(),
          t.assigneeId,
          t.requesterId,
          t.tagList(),
          Sla.of(t, now),
          t.version,
          t.createdAt.toInstant(),
          t.updatedAt.toInstant(),
          t.resolvedAt == null ? null : t.resolvedAt.toInstant(),
          t.closedAt == null ? null : t.closedAt.toInstant(),
          comments == null ? null : comments.stream().map(CommentView::of).toList());
    }
  }

  public record PageView(List<View> items, String nextCursor) {}
}
