package com.securebase.support.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A public comment (the requester sees it) or an internal note (staff only). */
@Entity
@Table(name = "ticket_comment")
public class TicketComment extends PanacheEntityBase {
  public static final String PUBLIC = "public";
  public static final String INTERNAL = "internal";

  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  @Column(name = "ticket_id")
  public UUID ticketId;

  @Column(name = "author_id")
  public UUID authorId;

  public String visibility;
  public String body;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  public static Uni<List<TicketComment>> of(UUID ticketId, boolean withInternal) {
    return withInternal
        ? list("ticketId = ?1 order by createdAt, id", ticketId)
        : list("ticketId = ?1 and visibility = ?2 order by createdAt, id", ticketId, PUBLIC);
  }
}
