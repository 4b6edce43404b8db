package com.securebase.gateway.config;

import com.securebase.gateway.domain.ApiKeySecret;
import com.securebase.gateway.domain.EdgeAuthenticator;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Lets an API key call the gateway's own API directly ({@code X-API-Key: sb_live_…} or {@code
 * Authorization: Bearer sb_live_…}), as it can every proxied API: the key is verified by the edge
 * cache and turned into the same JWT it would be exchanged for, which smallrye-jwt then verifies as
 * usual. Without a key the JWT mechanism handles the request.
 */
@ApplicationScoped
public class ApiKeyAuthMechanism implements HttpAuthenticationMechanism {
  public static final String HEADER = "X-API-Key";

  @Inject EdgeAuthenticator edge;

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identities) {
    String key = presentedKey(context);
    if (key == null) {
      return Uni.createFrom().nullItem(); // not ours: the JWT mechanism goes next
    }
    return edge.apiKey(key)
        .chain(
            credentials ->
                credentials.isEmpty()
                    ? Uni.createFrom()
                        .failure(new AuthenticationFailedException("Unknown or revoked API key"))
                    : identities.authenticate(
                        HttpSecurityUtils.setRoutingContextAttribute(
                            new TokenAuthenticationRequest(
                                new JsonWebTokenCredential(credentials.get().accessToken())),
                            context)));
  }

  private static String presentedKey(RoutingContext context) {
    String key = context.request().getHeader(HEADER);
    if (key != null) {
      return key;
    }
    String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (token.startsWith(ApiKeySecret.PREFIX)) {
        return token;
      }
    }
    return null;
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }

  @Override
  public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
    return Uni.createFrom()
        .item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER));
  }

  @Override
  public int getPriority() {
    return DEFAULT_PRIORITY + 100; // before the JWT mechanism, which would reject a key as a JWT
  }
}
