package com.securebase.notifications.persistence;

import com.securebase.notifications.domain.NotificationType;
import com.securebase.notifications.domain.Severity;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * One notification in one user's inbox. No field initialisers: they would make every loaded row
 * dirty.
 */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  @Column(name = "user_id")
  public UUID userId;

  public String type;
  public String severity;
  public String title;
  public String body;
  public String link;

  @Column(name = "source_event_id")
  public String sourceEventId;

  @Column(name = "source_event_type")
  public String sourceEventType;

  /** A JSON object of strings (ids the client links to), kept as text on this side. */
  @ColumnTransformer(read = "cast(metadata as text)", write = "cast(cast(? as text) as jsonb)")
  public String metadata;

  @Column(name = "read_at")
  public OffsetDateTime readAt;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  public NotificationType typeValue() {
    return NotificationType.fromCode(type);
  }

  public Severity severityValue() {
    return Severity.fromCode(severity);
  }
}
