package com.securebase.gateway.domain;

import dev.samstevens.totp.recovery.RecoveryCodeGenerator;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Single-use MFA recovery codes: ten are shown once when MFA is enabled; only their SHA-256 is
 * kept, and a code used to log in is struck off.
 */
public final class RecoveryCodes {
  public static final int COUNT = 10;

  private RecoveryCodes() {}

  public record Issued(List<String> codes, List<String> hashes) {}

  public static Issued issue() {
    String[] codes = new RecoveryCodeGenerator().generateCodes(COUNT);
    List<String> hashes = new ArrayList<>();
    for (String code : codes) {
      hashes.add(hash(code));
    }
    return new Issued(List.of(codes), List.copyOf(hashes));
  }

  /**
   * @return the remaining hashes once {@code presented} is struck off, or empty if it matches none
   */
  public static Optional<List<String>> consume(List<String> hashes, String presented) {
    if (presented == null || presented.isBlank() || presented.length() > 64) {
      return Optional.empty();
    }
    String wanted = hash(presented);
    List<String> remaining = new ArrayList<>(hashes);
    // Hash comparison: the stored values are digests, so equality leaks nothing useful.
    return remaining.remove(wanted) ? Optional.of(List.copyOf(remaining)) : Optional.empty();
  }

  private static String hash(String code) {
    String normalised = code.strip().toLowerCase(Locale.ROOT);
    return HexFormat.of().formatHex(SecretToken.sha256(normalised));
  }
}
