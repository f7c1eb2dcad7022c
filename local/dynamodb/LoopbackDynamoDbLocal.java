import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local for the local stack, run as a single-file source program (`java -cp DynamoDBLocal.jar
 * LoopbackDynamoDbLocal.java <its options>`): its own server, built from its own options, but listening on
 * 127.0.0.1 only and answering only requests addressed to this machine by name. DynamoDB Local itself has no
 * option for either: it listens on every interface and serves any Host (DNS rebinding).
 */
public final class LoopbackDynamoDbLocal {
  /** As local/loopback-host.ts: the names a request to this machine's loopback carries. */
  private static final Set<String> LOOPBACK_HOST_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

  private LoopbackDynamoDbLocal() {}

  static boolean isLoopbackHost(String host) {
    if (host == null) return false;
    String name = host.toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
    return LOOPBACK_HOST_NAMES.contains(name);
  }

  /** Refuses (403) a request whose Host names another machine, before DynamoDB Local reads it. */
  static final class LoopbackHostOnly extends Handler.Wrapper {
    LoopbackHostOnly(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (isLoopbackHost(request.getHeaders().get(HttpHeader.HOST))) return super.handle(request, response, callback);
      Response.writeError(request, response, callback, 403, "DynamoDB Local answers only requests to localhost");
      return true;
    }
  }

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    // Its Jetty server is a private field: the one place both the interface and the handler can be set.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      if (!(connector instanceof ServerConnector)) throw new IllegalStateException("Unexpected connector " + connector);
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    server.setHandler(new LoopbackHostOnly(server.getHandler()));
    // safeStart: Jetty's own start, so a taken port is an exception (exit 1), not a message and a server that runs on.
    proxy.safeStart();
    System.out.println("DynamoDB Local listening on 127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    proxy.join();
  }
}
