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
