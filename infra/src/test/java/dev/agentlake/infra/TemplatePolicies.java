package dev.agentlake.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every IAM statement in a synthesized template (role inline policies and {@code AWS::IAM::Policy}
 * resources), with CloudFormation references rendered as text: {@code {"Fn::GetAtt": ["Lake1234", "Arn"]}}
 * becomes {@code <Lake1234.Arn>}, {@code Fn::Join} is concatenated.
 */
final class TemplatePolicies {

    /** One statement of the role with the given logical id. */
    record Statement(String role, String effect, List<String> actions, List<String> resources, Object condition) {
    }

    private TemplatePolicies() {
    }

    @SuppressWarnings("unchecked")
    static List<Statement> statements(Map<String, Object> template) {
        List<Statement> all = new ArrayList<>();
        var resources = (Map<String, Map<String, Object>>) template.get("Resources");
        for (var entry : resources.entrySet()) {
            String type = (String) entry.getValue().get("Type");
            var props = (Map<String, Object>) entry.getValue().get("Properties");
            if ("AWS::IAM::Role".equals(type) && props.containsKey("Policies")) {
                for (Object policy : (List<Object>) props.get("Policies")) {
                    add(all, entry.getKey(), ((Map<String, Object>) policy).get("PolicyDocument"));
                }
            } else if ("AWS::IAM::Policy".equals(type)) {
                for (Object role : (List<Object>) props.get("Roles")) {
                    add(all, render(role).replaceAll("^<|>$", ""), props.get("PolicyDocument"));
                }
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static void add(List<Statement> all, String role, Object document) {
        for (Object s : (List<Object>) ((Map<String, Object>) document).get("Statement")) {
            var statement = (Map<String, Object>) s;
            all.add(new Statement(role, (String) statement.get("Effect"), texts(statement.get("Action")),
                    texts(statement.get("Resource")), statement.get("Condition")));
        }
    }

    private static List<String> texts(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TemplatePolicies::render).collect(Collectors.toList());
        }
        return List.of(render(value));
    }

    /** A CloudFormation value as text. */
    @SuppressWarnings("unchecked")
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey("Ref")) {
                return "<" + map.get("Ref") + ">";
            }
            if (map.containsKey("Fn::GetAtt")) {
                List<Object> att = (List<Object>) map.get("Fn::GetAtt");
                return "<" + att.get(0) + "." + att.get(1) + ">";
            }
            if (map.containsKey("Fn::Join")) {
                List<Object> join = (List<Object>) map.get("Fn::Join");
                return ((List<Object>) join.get(1)).stream().map(TemplatePolicies::render)
                        .collect(Collectors.joining((String) join.get(0)));
            }
        }
        throw new IllegalArgumentException("cannot render " + value);
    }
}
