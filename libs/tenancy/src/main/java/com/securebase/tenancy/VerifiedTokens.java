package com.securebase.tenancy;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.ConcurrentHashMap;

/**
 * smallrye-jwt's verifier with a memory of the tokens it has already accepted. A caller sends the
 * same token many times (the gateway mints one per API key or session and reuses it until shortly
 * before it expires), and checking its RS256 signature and claims again each time was a sixth of a
 * busy service's event-loop time. A token is exactly the bytes that were verified, so a hit is
 * answered with the same principal, until the token's own expiry (without the verifier's clock-skew
 * allowance, so never longer than without the memory). A hit counts only for the verification
 * settings it was made with: a call with other keys or claims to check verifies anew.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends JWTCallerPrincipalFactory {
  /** Past this many tokens, expired ones are dropped first, and if none are, all are. */
  static final int CAPACITY = 10_000;

  private record Verified(JWTCallerPrincipal principal, JWTAuthContextInfo settings, long until) {}

  private final JWTCallerPrincipalFactory verifier = new DefaultJWTCallerPrincipalFactory();
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  @Override
  public JWTCallerPrincipal parse(String token, JWTAuthContextInfo settings) throws ParseException {
    long now = System.currentTimeMillis();
    Verified hit = verified.get(token);
    if (hit != null && hit.settings() == settings && now < hit.until()) {
      return hit.principal();
    }
    JWTCallerPrincipal principal = verifier.parse(token, settings);
    long until = principal.getExpirationTime() * 1000;
    if (until > now) {
      remember(token, new Verified(principal, settings, until), now);
    }
    return principal;
  }

  private void remember(String token, Verified entry, long now) {
    if (verified.size() >= CAPACITY) {
      verified.values().removeIf(v -> v.until() <= now);
      if (verified.size() >= CAPACITY) {
        verified.clear();
      }
    }
    verified.put(token, entry);
  }

  int size() {
    return verified.size();
  }
}
