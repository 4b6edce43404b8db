package com.securebase.billing.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What billing knows of a tenant from the gateway's events: name and branding for the PDF, tier and
 * tax rate for pricing. No field initialisers: they would make every loaded row dirty.
 */
@Entity
@Table(name = "tenant_account")
public class TenantAccount extends PanacheEntityBase {
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

  public String tier;

  @Column(name = "tax_rate")
  public BigDecimal taxRate;

  @Column(name = "tenant_version")
  public int tenantVersion;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;
}
