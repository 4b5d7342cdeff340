#pragma once
// The built-in transformations and predicates as a plugin descriptor, registered by the host
// through the same registry as the .so plugins (linked into the sluice binary, nothing
// exported), under their Java class names:
//
//   io.debezium.transforms.          ExtractNewRecordState, ByLogicalTableRouter
//   org.apache.kafka.connect.transforms.
//                                    RegexRouter, TimestampRouter, Filter, ValueToKey, InsertHeader,
//                                    DropHeaders, and $Key/$Value variants of InsertField,
//                                    ReplaceField, MaskField, ExtractField, HoistField, Flatten,
//                                    Cast, SetSchemaMetadata, TimestampConverter, HeaderFrom
//   org.apache.kafka.connect.transforms.predicates.
//                                    TopicNameMatches, HasHeaderKey, RecordIsTombstone
//
// Each behaves as its Java class (Kafka Connect 3.9, Debezium 2.7); tests/golden/transforms.jsonl
// holds what the Java classes do and tests/unit/plugins/transforms/java_golden_test.cc checks
// Sluice against it.

#include "plugins/api/plugin.h"

// Name "sluice-transforms", version "0.1.0". The descriptor lives for the whole process.
const sluice_plugin_descriptor* sluice_builtin_transforms_entry();
