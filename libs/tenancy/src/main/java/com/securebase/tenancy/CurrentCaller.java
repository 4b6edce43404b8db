package com.securebase.tenancy;

import com.securebase.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request, from the JWT that smallrye-jwt has already verified
 * (signature, issuer, expiry). Services never take the tenant from a header or the body.
 */
@RequestScoped
public class CurrentCaller {
  public static final String TENANT_CLAIM = "tenant";
  public static final String TIER_CLAIM = "tier";
  public static final String KIND_CLAIM = "kind";
  public static final String FEATURES_CLAIM = "features";

  @Inject JsonWebToken jwt;

  private Caller caller;

  /**
   * @throws ProblemException 401 when the request carries no valid token with a tenant
   */
  public Caller get() {
    if (caller == null) {
      caller = fromToken(jwt);
    }
    return caller;
  }

  public UUID tenantId() {
    return get().tenantId();
  }

  /**
   * A numeric limit of the caller's tier as the token's {@code features} claim carries it (the
   * gateway puts the tier matrix row in every token it signs), or {@code fallback} when the token
   * has no such claim.
   */
  public int featureLimit(String feature, int fallback) {
    get(); // 401 without a valid token
    Object features = jwt.getClaim(FEATURES_CLAIM);
    if (features instanceof jakarta.json.JsonObject row
        && row.get(feature) instanceof jakarta.json.JsonNumber limit) {
      return limit.intValue();
    }
    return fallback;
  }

  /**
   * A yes/no feature of the caller's tier as the token's {@code features} claim carries it, or
   * {@code fallback} when the token has no such claim.
   */
  public boolean hasFeature(String feature, boolean fallback) {
    get(); // 401 without a valid token
    Object features = jwt.getClaim(FEATURES_CLAIM);
    if (features instanceof jakarta.json.JsonObject row && row.containsKey(feature)) {
      return row.get(feature) == jakarta.json.JsonValue.TRUE;
    }
    return fallback;
  }

  static Caller fromToken(JsonWebToken jwt) {
    String tenant = jwt == null ? null : jwt.getClaim(TENANT_CLAIM);
    if (tenant == null || jwt.getRawToken() == null) {
      throw new ProblemException(
          401, "unauthorized", "Unauthorized", "A valid bearer token with a tenant is required");
    }
    UUID tenantId;
    try {
      tenantId = UUID.fromString(tenant);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          401, "unauthorized", "Unauthorized", "The token's tenant is not valid");
    }
    String kind = jwt.getClaim(KIND_CLAIM);
    String tier = jwt.getClaim(TIER_CLAIM);
    return new Caller(
        tenantId,
        jwt.getSubject(),
        kind == null ? "user" : kind,
        jwt.getGroups(),
        tier == null ? "standard" : tier);
  }
}
