package com.securebase.notifications.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A tenant's branding (from the gateway's tenant events) and its Slack incoming webhook (from the
 * settings API; a secret, never in an event or a response).
 */
@Entity
@Table(name = "tenant_settings")
public class TenantSettings extends PanacheEntityBase {
  @Id
  @Column(name = "tenant_id")
  public UUID tenantId;

  public String name;

  @Column(name = "display_name")
  public String displayName;

  @Column(name = "primary_color")
  public String primaryColor;

  @Column(name = "logo_url")
  public String logoUrl;

  @Column(name = "tenant_version")
  public Integer tenantVersion;

  @Column(name = "slack_webhook_url")
  public String slackWebhookUrl;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  /** The name emails and Slack messages are signed with. */
  public String brandName() {
    if (displayName != null && !displayName.isBlank()) {
      return displayName;
    }
    return name != null && !name.isBlank() ? name : "SecureBase";
  }

  public static TenantSettings empty(UUID tenantId, OffsetDateTime now) {
    TenantSettings s = new TenantSettings();
    s.tenantId = tenantId;
    s.updatedAt = now;
    return s;
  }
}
