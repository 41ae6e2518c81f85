package dev.agentlake.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The handler names the stack deploys are the classes the function modules build (loaded here from
 * those modules, without initialising them).
 */
class AgentlakeHandlersTest {

    @Test
    void givenTheIngestHandlerThenItIsALambdaRequestHandlerInTheIngestModule() throws Exception {
        assertLambdaHandler(LambdaHandlers.INGEST);
        assertThat(LambdaHandlers.INGEST).isEqualTo("dev.agentlake.ingest.IngestFunction::handleRequest");
    }

    @Test
    void givenTheQueryHandlerThenItIsALambdaRequestHandlerInTheQueryModule() throws Exception {
        assertLambdaHandler(LambdaHandlers.QUERY);
        assertThat(LambdaHandlers.QUERY).isEqualTo("dev.agentlake.query.QueryFunction::handleRequest");
    }

    /**
     * The compactor module has no handler class yet: this test is skipped (not passed) until
     * {@code dev.agentlake.compactor.CompactorFunction} exists, and then checks it like the others.
     */
    @Test
    void givenTheCompactorHandlerThenItIsALambdaRequestHandlerInTheCompactorModule() throws Exception {
        assertThat(LambdaHandlers.COMPACTOR).isEqualTo("dev.agentlake.compactor.CompactorFunction");
        assumeTrue(present(LambdaHandlers.className(LambdaHandlers.COMPACTOR)),
                "compactor-function does not define " + LambdaHandlers.COMPACTOR + " yet");
        assertLambdaHandler(LambdaHandlers.COMPACTOR);
    }

    @Test
    void givenAHandlerStringThenItsClassIsThePartBeforeTheMethod() {
        assertThat(LambdaHandlers.className("a.B::handleRequest")).isEqualTo("a.B");
        assertThat(LambdaHandlers.className("a.B")).isEqualTo("a.B");
    }

    private static void assertLambdaHandler(String handler) throws Exception {
        Class<?> type = Class.forName(LambdaHandlers.className(handler), false, loader());
        assertThat(RequestHandler.class.isAssignableFrom(type)).as(type + " is a RequestHandler").isTrue();
        assertThat(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers())).isTrue();
        // The Lambda runtime constructs the handler with its public no-argument constructor.
        assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
        String method = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : "handleRequest";
        assertThat(Arrays.stream(type.getMethods()).map(Method::getName)).contains(method);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, loader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static ClassLoader loader() {
        return AgentlakeHandlersTest.class.getClassLoader();
    }
}
