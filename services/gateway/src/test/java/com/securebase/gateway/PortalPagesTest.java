package com.securebase.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.securebase.testkit.SecureBaseTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The portal is served at / from its jar, deep links included, with the caching it relies on. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "gateway"))
class PortalPagesTest {

  @Test
  void theRootAndEveryDeepLinkAnswerTheAppRevalidatedEachTime() {
    String root = page("/");
    assertThat(root).contains("<div id=\"root\"></div>");
    assertThat(page("/support/3f1c0a52-5c43-4a3e-9d53-0d5d5e6f0a11")).isEqualTo(root);
    assertThat(page("/webhooks")).isEqualTo(root);
    assertThat(page("/index.html")).isEqualTo(root);
  }

  @Test
  void hashedAssetsAreCachedForAYearAndGoOutCompressed() {
    Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(page("/"));
    assertThat(script.find()).as("index.html names its script").isTrue();
    given()
        .header("Accept-Encoding", "gzip")
        .get(script.group(1))
        .then()
        .statusCode(200)
        .header("Cache-Control", "public, max-age=31536000, immutable")
        .header("Content-Encoding", "gzip")
        .contentType(containsString("javascript"));
  }

  @Test
  void aMissingAssetIsA404ThatNobodyCaches() {
    given()
        .get("/assets/index-missing.js")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .header("Cache-Control", not(containsString("immutable")));
  }

  @Test
  void theApiIsNeverAnsweredWithThePortal() {
    given()
        .accept("text/html")
        .get("/v1/support/tickets")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .accept("text/html")
        .get("/v1/no-such-thing")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().post("/support").then().statusCode(not(equalTo(200)));
  }

  private static String page(String path) {
    return given()
        .accept("text/html")
        .get(path)
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .header("Cache-Control", "no-cache")
        .header("Content-Security-Policy", containsString("default-src 'self'"))
        .header("X-Content-Type-Options", "nosniff")
        .extract()
        .asString();
  }
}
