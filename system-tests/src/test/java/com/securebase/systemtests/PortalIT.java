package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.securebase.infra.LocalReceivers;
import com.securebase.infra.ServiceProcess;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The customer portal end to end (issue 21): the seven packaged services started as {@code make
 * run} starts them, the portal served by the gateway, and {@code portal/e2e} driving Debian's
 * headless Chromium through it (sign-in, a ticket whose notification a support agent sees arrive
 * live, an invoice PDF, a forecast chart, an API key created and revoked, a webhook endpoint with a
 * delivery in its log, every page checked with axe-core). Screenshots land in
 * target/portal-screenshots.
 */
class PortalIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path ARTIFACTS = Path.of("target", "portal-screenshots").toAbsolutePath();
  static final String AGENT = "agent@portal-e2e.example.com";
  static final String AGENT_PASSWORD = "portal agent passphrase 42";
  static final List<String> SCREENSHOTS =
      List.of(
          "01-sign-in",
          "02-dashboard",
          "03-notifications-agent",
          "04-support",
          "05-ticket",
          "06-notification-arrived",
          "07-invoices",
          "08-invoice",
          "09-forecasts",
          "10-api-key-created",
          "11-webhook-endpoint",
          "12-analytics",
          "13-team",
          "14-settings",
          "15-analytics-query",
          "16-settings-branded",
          "17-two-factor-on",
          "18-sign-in-code",
          "19-mfa-enrolment");

  @Test
  void theCustomerPortalInARealBrowser() throws Exception {
    assertThat(CHROMIUM)
        .as("Debian's chromium package (scripts/test.sh installs it)")
        .isExecutable();
    try (LocalReceivers receivers = LocalReceivers.start(0, 0);
        Platform platform =
            Platform.start(Platform.BEHIND_GATEWAY, Platform.mailingTo(receivers))) {
      ServiceProcess gateway = platform.gateway();
      String password = platform.demoOwnerPassword();
      ApiCaller owner =
          new ApiCaller(
              gateway, PackagedServices.signIn(HttpClient.newHttpClient(), gateway, password));

      // What the pages show must exist first: a support agent, an invoice, a cost history.
      Invitations.inviteAndAccept(gateway, owner, AGENT, "support", AGENT_PASSWORD);
      ApiCaller.until(
          "billing metering the demo tenant",
          () -> owner.call("GET", "/v1/metrics", null, 200).path("tier").isTextual());
      YearMonth lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
      owner.call(
          "POST",
          "/v1/usage",
          "{\"records\":[{\"transactionId\":\"portal-1\",\"metricCode\":\"support_hours\","
              + "\"quantity\":\"5\",\"timestamp\":\""
              + lastMonth.atDay(12).atTime(10, 0).toInstant(ZoneOffset.UTC)
              + "\"}]}",
          200);
      owner.call("POST", "/v1/invoices/runs", "{\"period\":\"" + lastMonth + "\"}", 201);
      CostHistory.upload(owner);

      Files.createDirectories(ARTIFACTS);
      Path log = ARTIFACTS.resolve("e2e.log");
      ProcessBuilder e2e =
          new ProcessBuilder("node", "--test", "--test-concurrency=1", "e2e/portal.e2e.mjs")
              .directory(PackagedServices.ROOT.resolve("portal").toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = e2e.environment();
      env.put("PORTAL_URL", gateway.url(""));
      env.put("OWNER_EMAIL", "owner@demo.example.com");
      env.put("OWNER_PASSWORD", password);
      env.put("AGENT_EMAIL", AGENT);
      env.put("AGENT_PASSWORD", AGENT_PASSWORD);
      env.put("HOOKS_URL", "http://127.0.0.1:" + receivers.httpPort());
      env.put("ARTIFACTS", ARTIFACTS.toString());
      env.put("CHROMIUM", CHROMIUM.toString());
      env.put(
          "OPENAPI_URLS",
          platform.services().values().stream()
              .map(s -> s.url("/q/openapi?format=json"))
              .collect(Collectors.joining(" ")));
      Process run = e2e.start();
      boolean ended = run.waitFor(10, TimeUnit.MINUTES);
      if (!ended) {
        run.destroyForcibly();
      }
      String output = Files.readString(log);
      System.out.println(output);
      assertThat(ended).as("the browser tests ended within 10 minutes").isTrue();
      assertThat(run.exitValue()).as(output).isZero();
      assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
      for (String shot : SCREENSHOTS) {
        Path png = ARTIFACTS.resolve(shot + ".png");
        assertThat(png).as(shot).exists();
        assertThat(Files.size(png)).as(shot).isGreaterThan(5_000);
      }
      System.out.println(Files.readString(ARTIFACTS.resolve("portal-figures.json")));
    }
  }
}
