package com.securebase.gateway;

import static com.securebase.gateway.GatewayFixtures.apiKey;
import static com.securebase.gateway.GatewayFixtures.owner;
import static com.securebase.gateway.GatewayFixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.securebase.testkit.SecureBaseTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The gateway in front of a real downstream HTTP server ({@link EchoServer}) on loopback. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "gateway"))
@WithTestResource(EchoServer.class)
class EdgeProxyTest {

  @Test
  void anApiKeyIsExchangedForAJwtAndNeverReachesTheService() {
    UUID t = tenant("fintech", List.of());
    String secret = apiKey(t, "viewer").getString("secret");
    given()
        .header("X-API-Key", secret)
        .contentType(ContentType.JSON)
        .body("{\"hello\":\"world\"}")
        .post("/v1/echo/tickets?status=open")
        .then()
        .statusCode(200)
        .header("X-Echo", "yes")
        // fintech: 5,000 requests per hour, as the tier table in Tier's OpenAPI description says.
        .header("RateLimit-Limit", "5000")
        .body("method", equalTo("POST"))
        .body("uri", equalTo("/v1/echo/tickets?status=open"))
        .body("authorization", startsWith("Bearer ey"))
        .body("apiKey", equalTo("null"))
        .body("bodyLength", equalTo(17));
    // The same key as a bearer credential works too.
    given()
        .auth()
        .oauth2(secret)
        .get("/v1/echo")
        .then()
        .statusCode(200)
        .body("authorization", startsWith("Bearer ey"));
  }

  @Test
  void proxiedRequestsAreTimedPerRouteNotPerPath() {
    String token = owner(tenant("standard", List.of()));
    String firstId = UUID.randomUUID().toString();
    String secondId = UUID.randomUUID().toString();
    for (String id : List.of(firstId, secondId)) {
      given().auth().oauth2(token).get("/v1/echo/tickets/" + id).then().statusCode(200);
    }
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\","
                + "status=\"200\",uri=\"/v1/echo/*\"}")
        .doesNotContain(firstId)
        .doesNotContain(secondId);
  }

  @Test
  void aUserJwtIsForwardedAsIs() {
    UUID t = tenant("standard", List.of());
    String token = owner(t);
    given()
        .auth()
        .oauth2(token)
        .get("/v1/echo/x")
        .then()
        .statusCode(200)
        .body("authorization", equalTo("Bearer " + token));
  }

  @Test
  void theTiersRateLimitAnswers429WithRetryAfter() {
    // 100 requests per hour: PRODUCT §2, and the tier table in Tier's OpenAPI description.
    UUID t = tenant("standard", List.of());
    String token = owner(t);
    for (int i = 1; i <= 100; i++) {
      given()
          .auth()
          .oauth2(token)
          .get("/v1/echo/r")
          .then()
          .statusCode(200)
          .header("RateLimit-Remaining", String.valueOf(100 - i));
    }
    Response refused = given().auth().oauth2(token).get("/v1/echo/r");
    refused
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .body("type", equalTo("https://securebase.dev/problems/rate-limited"))
        .header("RateLimit-Remaining", "0");
    assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 37L);
    // Another tenant has its own bucket.
    given()
        .auth()
        .oauth2(owner(tenant("standard", List.of())))
        .get("/v1/echo/r")
        .then()
        .statusCode(200);
  }

  @Test
  void theIpAllowlistIsEnforcedOnTheProxyPath() {
    String outsider = owner(tenant("standard", List.of("10.0.0.0/8", "2001:db8::/32")));
    given()
        .auth()
        .oauth2(outsider)
        .get("/v1/echo/a")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", equalTo("https://securebase.dev/problems/ip-not-allowed"));
    String insider = owner(tenant("standard", List.of("127.0.0.0/8")));
    given().auth().oauth2(insider).get("/v1/echo/a").then().statusCode(200);
  }

  @Test
  void aServiceThatIsDownGivesA503ProblemQuickly() {
    String token = owner(tenant("standard", List.of()));
    long start = System.nanoTime();
    given()
        .auth()
        .oauth2(token)
        .get("/v1/down/anything")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("type", equalTo("https://securebase.dev/problems/service-unavailable"));
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(3_000);
  }

  @Test
  void requestsWithoutCredentialsOrWithUnknownKeysAre401() {
    given().get("/v1/echo/a").then().statusCode(401).contentType("application/problem+json");
    given()
        .header("X-API-Key", "sb_live_" + "A".repeat(43))
        .get("/v1/echo/a")
        .then()
        .statusCode(401);
    UUID t = tenant("standard", List.of());
    String secret = apiKey(t, "viewer").getString("secret");
    String id = given().auth().oauth2(owner(t)).get("/v1/api-keys").then().extract().path("[0].id");
    given().header("X-API-Key", secret).get("/v1/echo/a").then().statusCode(200);
    given().auth().oauth2(owner(t)).delete("/v1/api-keys/" + id).then().statusCode(200);
    given().header("X-API-Key", secret).get("/v1/echo/a").then().statusCode(401);
  }

  @Test
  void webSocketUpgradesAreAuthenticatedAndRelayed() throws Exception {
    UUID t = tenant("fintech", List.of());
    String secret = apiKey(t, "viewer").getString("secret");
    int port = io.restassured.RestAssured.port;
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
      java.util.concurrent.BlockingQueue<String> received =
          new java.util.concurrent.LinkedBlockingQueue<>();
      io.vertx.core.http.WebSocket ws =
          client
              .connect(port, "127.0.0.1", "/v1/live/stream?since=42&access_token=" + secret)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, java.util.concurrent.TimeUnit.SECONDS);
      ws.textMessageHandler(received::add);
      ws.writeTextMessage("who");
      String seen = received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      // The service sees the verified JWT, and the key is gone from the URI.
      assertThat(seen).startsWith("uri=/v1/live/stream?since=42 auth=Bearer ey");
      ws.writeTextMessage("ping-1");
      assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("echo:ping-1");
      ws.close();

      // No credential, or a revoked one: the upgrade is refused with a 401, nothing relayed.
      assertThat(refusedUpgrade(client, port, "/v1/live/stream").getStatus()).isEqualTo(401);
      String keyId =
          given().auth().oauth2(owner(t)).get("/v1/api-keys").then().extract().path("[0].id");
      given().auth().oauth2(owner(t)).delete("/v1/api-keys/" + keyId).then().statusCode(200);
      assertThat(
              refusedUpgrade(client, port, "/v1/live/stream?since=42&access_token=" + secret)
                  .getStatus())
          .isEqualTo(401);
    } finally {
      vertx.close();
    }
    // A query token is only honoured on an upgrade: plain HTTP must use a header.
    given().get("/v1/echo/x?access_token=" + secret).then().statusCode(401);
  }

  /** Connects and expects the upgrade to be refused; fails if it is accepted. */
  private static io.vertx.core.http.UpgradeRejectedException refusedUpgrade(
      io.vertx.core.http.WebSocketClient client, int port, String uri) throws Exception {
    Throwable refused =
        client
            .connect(port, "127.0.0.1", uri)
            .toCompletionStage()
            .toCompletableFuture()
            .handle((ok, e) -> e)
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(io.vertx.core.http.UpgradeRejectedException.class);
    return (io.vertx.core.http.UpgradeRejectedException) refused;
  }

  @Test
  void aLoggedOutSessionIsCutOffAtTheProxy() {
    UUID t = tenant("fintech", List.of());
    String secret = apiKey(t, "viewer").getString("secret");
    io.restassured.path.json.JsonPath tokens =
        given()
            .contentType(ContentType.JSON)
            .body("{\"apiKey\":\"" + secret + "\"}")
            .post("/v1/auth/authenticate")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    String access = tokens.getString("accessToken");
    given().auth().oauth2(access).get("/v1/echo/x").then().statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"refreshToken\":\"" + tokens.getString("refreshToken") + "\"}")
        .post("/v1/auth/logout")
        .then()
        .statusCode(204);
    given().auth().oauth2(access).get("/v1/echo/x").then().statusCode(401);
  }
}
