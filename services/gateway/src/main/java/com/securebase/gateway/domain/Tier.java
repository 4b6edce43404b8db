package com.securebase.gateway.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A tenant's commercial tier: decides features, seats and rate limits. The matrix in the OpenAPI
 * description below is the product contract; {@link TierFeatures#MATRIX} implements it and the
 * gateway's tests check the published matrix against this description.
 */
@Schema(
    description =
        """
        A tenant's commercial tier. What each tier includes (the tier feature matrix, also \
        published as `securebase.gateway.tier.features_published` and carried in every access \
        token's `features` claim):

        | Feature | standard | fintech | healthcare | government |
        |---|---|---|---|---|
        | Report scheduling (`reportScheduling`) | no | yes | yes | yes |
        | Forecast horizon in months (`forecastHorizonMonths`) | 3 | 12 | 12 | 24 |
        | Webhook endpoints (`webhookEndpoints`) | 3 | 20 | 20 | 50 |
        | Single sign-on (`sso`) | no | yes | yes | yes |
        | White-label branding (`whiteLabel`) | no | no | yes | yes |
        | Requests per hour routed to the services (`rateLimitPerHour`) | 100 | 5,000 | 5,000 | 20,000 |
        | Seats: users not removed, invited ones included (`seats`) | 10 | 100 | 250 | 1,000 |

        A request over the hourly limit answers `429 rate-limited`; an invitation past the seats \
        answers `403 feature-not-in-tier` with `feature` = `seats` and the `limit`.""")
// In TenantRequests.View, a Response entity: @JsonValue needs reflection.
@RegisterForReflection
public enum Tier {
  STANDARD,
  FINTECH,
  HEALTHCARE,
  GOVERNMENT;

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Tier fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
