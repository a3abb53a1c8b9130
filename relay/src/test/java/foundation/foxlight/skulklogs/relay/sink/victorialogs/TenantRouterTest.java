package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantRouterTest {
    @Test
    void firstMatchingGlobWins_othersGoToTheDefault() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("lab-*", "1:0");
        routes.put("lab-gpu-?", "9:9"); // never reached: lab-* matches first
        routes.put("mini-?", "2:7");
        List<String> problems = new ArrayList<>();
        TenantRouter r = TenantRouter.parse(routes, problems);
        assertThat(problems).isEmpty();
        assertThat(r.tenantOfNode("lab-gpu-1")).isEqualTo(new TenantRouter.Tenant(1, 0));
        assertThat(r.tenantOfNode("mini-3")).isEqualTo(new TenantRouter.Tenant(2, 7));
        assertThat(r.tenantOfNode("mini-33")).isNull();
        assertThat(r.tenantOfNode("laptop.lab-1")).isNull(); // globs match the whole id; dots are literal
        assertThat(r.tenantOfNode(null)).isNull();
    }

    @Test
    void everyMalformedRouteIsReported() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("a*", "1");
        routes.put("b*", "x:1");
        routes.put("c*", "1:4294967296");
        routes.put("d*", "3:4");
        List<String> problems = new ArrayList<>();
        TenantRouter r = TenantRouter.parse(routes, problems);
        assertThat(problems).hasSize(3).allMatch(p -> p.startsWith("victorialogs.tenants."));
        assertThat(r.tenantOfNode("d1")).isEqualTo(new TenantRouter.Tenant(3, 4));
    }

    @Test
    void theTenantARequestNamed_winsOverTheRoutes() {
        TenantRouter r = TenantRouter.parse(Map.of("lab-*", "1:0"), new ArrayList<>());
        LogEvent routed = LogEvent.builder().put(LogEvent.NODE_ID, "lab-1").build();
        LogEvent named = LogEvent.builder().put(LogEvent.NODE_ID, "lab-1").put(PipelineFields.TENANT, "7:3").build();
        LogEvent namedNoNode = LogEvent.builder().put(PipelineFields.TENANT, "0:0").build();
        LogEvent malformed = LogEvent.builder().put(LogEvent.NODE_ID, "lab-1").put(PipelineFields.TENANT, "seven").build();
        assertThat(r.tenantOf(routed)).isEqualTo(new TenantRouter.Tenant(1, 0));
        assertThat(r.tenantOf(named)).isEqualTo(new TenantRouter.Tenant(7, 3));
        assertThat(r.tenantOf(namedNoNode)).isEqualTo(new TenantRouter.Tenant(0, 0));
        assertThat(r.tenantOf(malformed)).isEqualTo(new TenantRouter.Tenant(1, 0));
        assertThat(TenantRouter.none().tenantOf(named)).isEqualTo(new TenantRouter.Tenant(7, 3));
        assertThat(TenantRouter.none().tenantOf(routed)).isNull();
    }
}
