package com.securebase.gateway.domain;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps) on the samstevens library. Verification returns the
 * time step that matched so the caller can refuse a second use of the same code (RFC 6238 §5.2).
 */
public final class Totp {
  public static final int PERIOD_SECONDS = 30;
  private static final int DIGITS = 6;
  private static final CodeGenerator CODES =
      new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);

  private Totp() {}

  public static String newSecret() {
    return new DefaultSecretGenerator(32).generate(); // 160 bits, base32
  }

  /** The provisioning URI authenticator apps read (usually from a QR code). */
  public static String uri(String secret, String account) {
    String label = URLEncoder.encode("SecureBase:" + account, StandardCharsets.UTF_8);
    return "otpauth://totp/"
        + label
        + "?secret="
        + secret
        + "&issuer=SecureBase&algorithm=SHA1&digits="
        + DIGITS
        + "&period="
        + PERIOD_SECONDS;
  }

  public static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), PERIOD_SECONDS);
  }

  /**
   * Accepts the code of the current step or one step either side (clock drift), only if that step
   * is later than {@code lastUsedStep}.
   *
   * @return the matching step, or empty
   */
  public static OptionalLong verify(String secret, String code, long lastUsedStep, Instant now) {
    if (code == null || !code.matches("\\d{" + DIGITS + "}")) {
      return OptionalLong.empty();
    }
    long current = step(now);
    for (long step = current - 1; step <= current + 1; step++) {
      if (step > lastUsedStep && equal(code, codeAt(secret, step))) {
        return OptionalLong.of(step);
      }
    }
    return OptionalLong.empty();
  }

  /** The code for a step (also what tests use to act as an authenticator app). */
  public static String codeAt(String secret, long step) {
    try {
      return CODES.generate(secret, step);
    } catch (CodeGenerationException e) {
      throw new IllegalStateException("Cannot compute a TOTP code", e);
    }
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
