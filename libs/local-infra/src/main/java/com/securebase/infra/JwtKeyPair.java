package com.securebase.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The RSA key pair that signs tokens on a local run: generated once with the JDK (no openssl
 * needed), kept under the run directory; production keys come from a Kubernetes secret.
 */
public final class JwtKeyPair {
  private JwtKeyPair() {}

  /**
   * @return KEY=value lines naming the private and public PEM files
   */
  public static List<String> ensure(Path dir) {
    Path privatePem = privatePem(dir);
    Path publicPem = publicPem(dir);
    try {
      if (!Files.exists(privatePem) || !Files.exists(publicPem)) {
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.setPosixFilePermissions(privatePem, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return List.of(
        "JWT_PRIVATE_KEY=" + privatePem.toAbsolutePath(),
        "JWT_PUBLIC_KEY=" + publicPem.toAbsolutePath());
  }

  /**
   * The pair in {@code dir} (generated if missing) as the settings a service started from its jar
   * needs: every service verifies tokens with the public key, the gateway signs with the private.
   */
  public static Map<String, String> quarkusConfig(Path dir) {
    ensure(dir);
    return Map.of(
        "mp.jwt.verify.publickey.location", "file:" + publicPem(dir).toAbsolutePath(),
        "smallrye.jwt.sign.key.location", "file:" + privatePem(dir).toAbsolutePath());
  }

  private static Path privatePem(Path dir) {
    return dir.resolve("jwt-private.pem");
  }

  private static Path publicPem(Path dir) {
    return dir.resolve("jwt-public.pem");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
