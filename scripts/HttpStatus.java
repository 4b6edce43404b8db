// Prints the HTTP status of a GET (used by scripts/platform.sh to wait for readiness
// without curl). Run as a single-file program: java scripts/HttpStatus.java URL
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

public class HttpStatus {
  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(3)).build();
    System.out.println(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
  }
}
