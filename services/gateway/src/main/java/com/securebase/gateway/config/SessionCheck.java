package com.securebase.gateway.config;

import com.securebase.gateway.domain.EdgeAuthenticator;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * On the gateway's own API, a JWT whose session was logged out or revoked is refused like on the
 * proxy path (the signature alone would keep it valid until it expires).
 */
@ApplicationScoped
public class SessionCheck implements SecurityIdentityAugmentor {
  @Inject EdgeAuthenticator edge;

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Uni.createFrom().item(identity);
    }
    return edge.sessionLive(jwt)
        .map(
            live -> {
              if (!live) {
                throw new AuthenticationFailedException("The session has ended");
              }
              return identity;
            });
  }
}
