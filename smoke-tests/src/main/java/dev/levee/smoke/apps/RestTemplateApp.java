package dev.levee.smoke.apps;

import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

/**
 * An ordinary Spring app's outgoing calls: {@code new RestTemplate()}, whose default request factory
 * ({@code SimpleClientHttpRequestFactory}) makes each request with {@code java.net.HttpURLConnection}. It knows
 * nothing of Levee; a request with a body ({@code --body}) it sends in the factory's streaming mode. Command
 * line: {@link AppArgs} ({@code --mode sync}); output: {@link CallReport}, an error
 * status (which RestTemplate throws as {@code HttpStatusCodeException}) reported as the status and body the
 * app got, an I/O failure ({@code ResourceAccessException}) as the exception it wraps.
 */
public final class RestTemplateApp {

  private RestTemplateApp() {}

  public static void main(String[] argv) throws Exception {
    AppArgs args = AppArgs.parseOrExit(argv);
    RestTemplate rest = new RestTemplate();
    CallLoop.runBlocking(args, index -> {
      try {
        HttpEntity<String> body = args.body == null ? null : new HttpEntity<>(args.body);
        ResponseEntity<byte[]> r = rest.exchange(args.url(index), HttpMethod.valueOf(args.method(index)), body, byte[].class);
        return new CallReport.Reply(r.getStatusCode().value(), r.getBody() == null ? new byte[0] : r.getBody());
      } catch (HttpStatusCodeException e) {
        return new CallReport.Reply(e.getStatusCode().value(), e.getResponseBodyAsByteArray());
      } catch (ResourceAccessException e) {
        throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
      }
    });
    System.out.flush();
    System.exit(0);
  }
}
