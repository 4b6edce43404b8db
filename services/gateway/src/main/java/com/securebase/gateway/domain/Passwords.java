package com.securebase.gateway.domain;

import com.securebase.problem.ProblemException;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Password hashing with bcrypt (cost 12 by default, ~250 ms on one core). Hashing and checking run
 * on a worker thread and come back on the caller's Vert.x context, so the event loop never waits
 * for bcrypt and Hibernate Reactive can carry on after.
 */
@ApplicationScoped
public class Passwords {
  public static final int MIN_LENGTH = 12;

  /** bcrypt reads at most 72 bytes; a longer password would be silently truncated. */
  public static final int MAX_BYTES = 72;

  @ConfigProperty(name = "securebase.auth.bcrypt-cost", defaultValue = "12")
  int cost;

  @Inject Vertx vertx;

  private volatile String decoy;

  public Uni<String> hash(String password) {
    return vertx.executeBlocking(
        Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, cost)));
  }

  /**
   * Checks a password. With no stored hash (unknown user, invitation not accepted) a decoy hash is
   * checked instead, so the answer takes as long and reveals nothing about the account.
   */
  public Uni<Boolean> matches(String password, String storedHash) {
    return vertx.executeBlocking(
        Uni.createFrom()
            .item(
                () -> {
                  boolean ok =
                      BcryptUtil.matches(password, storedHash == null ? decoy() : storedHash);
                  return ok && storedHash != null;
                }));
  }

  /**
   * @throws ProblemException 400 naming the rule the password breaks
   */
  public static void validate(String field, String password) {
    String error = null;
    if (password.length() < MIN_LENGTH) {
      error = "must be at least " + MIN_LENGTH + " characters";
    } else if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      error = "must be at most " + MAX_BYTES + " bytes in UTF-8";
    } else if (password.isBlank()) {
      error = "must not be blank";
    }
    if (error != null) {
      throw ProblemException.invalidField(field, error);
    }
  }

  private String decoy() {
    if (decoy == null) {
      decoy = BcryptUtil.bcryptHash("decoy-password-never-matches", cost);
    }
    return decoy;
  }
}
