package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import com.securebase.infra.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Services started from their packaged jars as {@code make run} starts them, and signing in. */
final class PackagedServices {
  private PackagedServices() {}

  static final Path ROOT = Path.of("..");

  /** One service on its own database, the shared broker and this run's key pair. */
  static ServiceProcess start(
      LocalInfra infra,
      String service,
      String database,
      Map<String, String> keys,
      Path run,
      Map<String, String> extra)
      throws Exception {
    Map<String, String> config =
        new LinkedHashMap<>(
            ServiceDatabase.ensure(infra.postgres(), database, service).quarkusConfig());
    config.put("kafka.bootstrap.servers", infra.kafka().bootstrapServers());
    config.putAll(keys);
    config.put("securebase.run-dir", run.toString());
    config.put("quarkus.log.level", "WARN");
    // Consumer groups of this run only (a group left by an earlier run would resume there).
    config.put("mp.messaging.connector.smallrye-kafka.group.id", "it-" + UUID.randomUUID());
    config.putAll(extra);
    return ServiceProcess.start(
        service,
        ROOT.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar"),
        config,
        List.of("-Xmx256m"),
        run.resolve(service + ".log"));
  }

  /** The demo owner's access token from the gateway (the seed wrote the password to the run). */
  static String signIn(HttpClient http, ServiceProcess gateway, String password) throws Exception {
    HttpResponse<String> signedIn =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url("/v1/auth/authenticate")))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"owner@demo.example.com\",\"password\":\"" + password + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    return EventJson.tree(signedIn.body().getBytes(StandardCharsets.UTF_8))
        .path("accessToken")
        .asText();
  }

  static JsonNode claims(String jwt) {
    return EventJson.tree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }
}
