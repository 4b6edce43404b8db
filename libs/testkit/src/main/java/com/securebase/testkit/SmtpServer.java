package com.securebase.testkit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) on a free loopback port for the suite; the service's mailer is
 * pointed at it and the test reads the messages it received back.
 */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {
  /** Marks the test field that receives the running server. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface Inject {}

  private GreenMail greenMail;

  @Override
  public Map<String, String> start() {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
    return Map.of(
        "quarkus.mailer.host", "127.0.0.1",
        "quarkus.mailer.port", String.valueOf(port),
        "quarkus.mailer.mock", "false",
        "quarkus.mailer.tls", "false",
        "quarkus.mailer.start-tls", "DISABLED");
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        greenMail, new TestInjector.AnnotatedAndMatchesType(Inject.class, GreenMail.class));
  }

  @Override
  public void stop() {
    if (greenMail != null) {
      greenMail.stop();
    }
  }
}
