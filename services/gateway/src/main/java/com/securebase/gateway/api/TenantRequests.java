package com.securebase.gateway.api;

import com.securebase.gateway.domain.Tier;
import com.securebase.gateway.persistence.Tenant;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of {@link TenantResource}. */
public final class TenantRequests {
  private TenantRequests() {}

  // Nested in View.
  @RegisterForReflection
  public record Branding(
      @Size(max = 200) String displayName,
      @Pattern(regexp = "^#[0-9A-Fa-f]{6}$", message = "must be a colour #RRGGBB")
          String primaryColor,
      @Size(max = 2048) @Pattern(regexp = "^https://.+", message = "must be an https URL")
          String logoUrl) {

    void applyTo(Tenant t) {
      t.displayName = displayName;
      t.primaryColor = primaryColor;
      t.logoUrl = logoUrl;
    }
  }

  public record Create(
      @NotBlank @Size(max = 200) String name,
      @NotNull Tier tier,
      @NotNull @Valid Branding branding,
      @Size(max = 100) List<@NotBlank @Size(max = 64) String> ipAllowlist,
      Boolean mfaRequired,
      @Min(5) @Max(43_200) Integer sessionLengthMinutes,
      @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) BigDecimal taxRate) {}

  public record Update(
      @Size(min = 1, max = 200) String name,
      Tier tier,
      @Valid Branding branding,
      @Size(max = 100) List<@NotBlank @Size(max = 64) String> ipAllowlist,
      Boolean mfaRequired,
      @Min(5) @Max(43_200) Integer sessionLengthMinutes,
      @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) BigDecimal taxRate) {}

  // Response.created entity of TenantResource.create.
  @RegisterForReflection
  public record View(
      UUID id,
      String name,
      Tier tier,
      Branding branding,
      List<String> ipAllowlist,
      boolean mfaRequired,
      int sessionLengthMinutes,
      BigDecimal taxRate,
      int version,
      Instant createdAt,
      Instant updatedAt) {

    static View of(Tenant t) {
      return new View(
          t.tenantId,
          t.name,
          Tier.fromCode(t.tier),
          new Branding(t.displayName, t.primaryColor, t.logoUrl),
          t.allowlist(),
          t.mfaRequired,
          t.sessionMinutes,
          t.taxRate,
          t.version,
          t.createdAt,
          t.updatedAt);
    }
  }
}
