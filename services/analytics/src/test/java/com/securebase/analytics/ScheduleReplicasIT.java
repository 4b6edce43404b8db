package com.securebase.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import com.securebase.infra.ServiceProcess;
import com.securebase.testkit.Polling;
import com.securebase.testkit.TestTokens;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the built service (the packaged jar, prod profile) on one database, both polling
 * for due schedules every second: each slot of several schedules, all made due at once after a
 * simulated three days of downtime, runs once and sends one email, whichever replica took it.
 */
class ScheduleReplicasIT {
  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final int SCHEDULES = 5;

  @Test
  void eachDueSlotRunsOnceAcrossTwoReplicas() throws Exception {
    LocalInfra infra = LocalInfra.shared();
    String database =
        "it_analytics_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    ServiceDatabase db = ServiceDatabase.ensure(infra.postgres(), database, "analytics");
    int smtp = ServiceProcess.freePort();
    GreenMail mail = new GreenMail(new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    Map<String, String> config = new LinkedHashMap<>(db.quarkusConfig());
    config.put("kafka.bootstrap.servers", infra.kafka().bootstrapServers());
    config.putAll(TestTokens.verificationConfig());
    config.put("mp.messaging.connector.smallrye-kafka.group.id", "it-" + UUID.randomUUID());
    config.put("quarkus.log.level", "WARN");
    config.put("quarkus.mailer.port", String.valueOf(smtp));
    config.put("quarkus.mailer.start-tls", "DISABLED");
    config.put("securebase.analytics.schedules.poll", "1s");
    Path logs = Files.createTempDirectory("analytics-replicas");
    try (ServiceProcess one = replica("one", config, logs);
        ServiceProcess two = replica("two", config, logs);
        Connection sql =
            DriverManager.getConnection(
                infra.postgres().jdbcUrl(database), infra.postgres().superuser(), "")) {
      UUID tenant = UUID.randomUUID();
      String token =
          TestTokens.sign(
              TestTokens.builder(tenant, UUID.randomUUID().toString(), "analyst")
                  .claim("tier", "fintech")
                  .claim("features", Map.of("reportScheduling", true)));
      HttpClient http = HttpClient.newHttpClient();
      post(
          http,
          one,
          token,
          "/v1/analytics/metrics",
          "{\"points\":[{\"metric\":\"logins\",\"timestamp\":\""
              + Instant.now().minusSeconds(3600)
              + "\",\"value\":3}]}",
          200);
      String report =
          field(
              post(
                  http,
                  one,
                  token,
                  "/v1/analytics/reports",
                  "{\"name\":\"Logins\",\"format\":\"csv\",\"query\":{\"metrics\":[\"logins\"],\"last\":\"P1D\"}}",
                  201),
              "id");
      List<String> schedules = new ArrayList<>();
      for (int i = 0; i < SCHEDULES; i++) {
        ServiceProcess via = i % 2 == 0 ? one : two;
        schedules.add(
            field(
                post(
                    http,
                    via,
                    token,
                    "/v1/analytics/schedules",
                    "{\"reportId\":\""
                        + report
                        + "\",\"cron\":\"0 * * * *\",\"timeZone\":\"UTC\","
                        + "\"recipients\":[{\"type\":\"email\",\"address\":\"s"
                        + i
                        + "@example.com\"}]}",
                    201),
                "id"));
      }
      // Down for three days: every schedule's slot has long passed, all at once.
      sql.createStatement()
          .executeUpdate(
              "update analytics.report_schedule set next_run_at = now() - interval '3 days'");
      Polling.until(
          () ->
              count(sql, "select count(*) from analytics.report_run where status = 'delivered'")
                  == SCHEDULES,
          "every schedule's run delivered",
          Duration.ofSeconds(60));
      Thread.sleep(3_000); // several more polls of both replicas
      assertThat(count(sql, "select count(*) from analytics.report_run")).isEqualTo(SCHEDULES);
      assertThat(count(sql, "select count(distinct schedule_id) from analytics.report_run"))
          .isEqualTo(SCHEDULES);
      assertThat(
              count(
                  sql, "select count(*) from analytics.report_schedule where next_run_at > now()"))
          .isEqualTo(SCHEDULES);
      MimeMessage[] received = mail.getReceivedMessages();
      List<String> to = new ArrayList<>();
      for (MimeMessage m : received) {
        to.add(m.getAllRecipients()[0].toString());
      }
      assertThat(to).hasSize(SCHEDULES).doesNotHaveDuplicates();
    } finally {
      mail.stop();
      ServiceDatabase.drop(infra.postgres(), database);
    }
  }

  private static ServiceProcess replica(String name, Map<String, String> config, Path logs)
      throws Exception {
    return ServiceProcess.start(
        "analytics-" + name, JAR, config, List.of("-Xmx256m"), logs.resolve(name + ".log"));
  }

  private static String post(
      HttpClient http, ServiceProcess to, String token, String path, String body, int status)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(to.url(path)))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.body();
  }

  private static String field(String json, String name) throws Exception {
    return com.securebase.events.EventJson.MAPPER.readTree(json).path(name).asText();
  }

  private static long count(Connection c, String query) {
    try (ResultSet rs = c.createStatement().executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
