// Numeric constants of the MySQL/MariaDB binary log format: event types, column types,
// event flags, optional-metadata field types. Values are those the servers write.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::mysql {

// Event type codes (the byte at offset 4 of the common header).
namespace event_type {
inline constexpr uint8_t kUnknown = 0;
inline constexpr uint8_t kStartV3 = 1;
inline constexpr uint8_t kQuery = 2;
inline constexpr uint8_t kStop = 3;
inline constexpr uint8_t kRotate = 4;
inline constexpr uint8_t kIntvar = 5;
inline constexpr uint8_t kLoad = 6;
inline constexpr uint8_t kSlave = 7;
inline constexpr uint8_t kCreateFile = 8;
inline constexpr uint8_t kAppendBlock = 9;
inline constexpr uint8_t kExecLoad = 10;
inline constexpr uint8_t kDeleteFile = 11;
inline constexpr uint8_t kNewLoad = 12;
inline constexpr uint8_t kRand = 13;
inline constexpr uint8_t kUserVar = 14;
inline constexpr uint8_t kFormatDescription = 15;
inline constexpr uint8_t kXid = 16;
inline constexpr uint8_t kBeginLoadQuery = 17;
inline constexpr uint8_t kExecuteLoadQuery = 18;
inline constexpr uint8_t kTableMap = 19;
inline constexpr uint8_t kWriteRowsV0 = 20;  // 5.1.0 - 5.1.15 pre-GA rows events
inline constexpr uint8_t kUpdateRowsV0 = 21;
inline constexpr uint8_t kDeleteRowsV0 = 22;
inline constexpr uint8_t kWriteRowsV1 = 23;
inline constexpr uint8_t kUpdateRowsV1 = 24;
inline constexpr uint8_t kDeleteRowsV1 = 25;
inline constexpr uint8_t kIncident = 26;
inline constexpr uint8_t kHeartbeat = 27;
inline constexpr uint8_t kIgnorable = 28;
inline constexpr uint8_t kRowsQuery = 29;
inline constexpr uint8_t kWriteRowsV2 = 30;
inline constexpr uint8_t kUpdateRowsV2 = 31;
inline constexpr uint8_t kDeleteRowsV2 = 32;
inline constexpr uint8_t kGtid = 33;
inline constexpr uint8_t kAnonymousGtid = 34;
inline constexpr uint8_t kPreviousGtids = 35;
inline constexpr uint8_t kTransactionContext = 36;
inline constexpr uint8_t kViewChange = 37;
inline constexpr uint8_t kXaPrepare = 38;
inline constexpr uint8_t kPartialUpdateRows = 39;
inline constexpr uint8_t kTransactionPayload = 40;
inline constexpr uint8_t kHeartbeatV2 = 41;
inline constexpr uint8_t kGtidTagged = 42;
// MariaDB
inline constexpr uint8_t kMariaAnnotateRows = 160;
inline constexpr uint8_t kMariaBinlogCheckpoint = 161;
inline constexpr uint8_t kMariaGtid = 162;
inline constexpr uint8_t kMariaGtidList = 163;
inline constexpr uint8_t kMariaStartEncryption = 164;
inline constexpr uint8_t kMariaQueryCompressed = 165;
inline constexpr uint8_t kMariaWriteRowsCompressedV1 = 166;
inline constexpr uint8_t kMariaUpdateRowsCompressedV1 = 167;
inline constexpr uint8_t kMariaDeleteRowsCompressedV1 = 168;
inline constexpr uint8_t kMariaWriteRowsCompressed = 169;
inline constexpr uint8_t kMariaUpdateRowsCompressed = 170;
inline constexpr uint8_t kMariaDeleteRowsCompressed = 171;
}  // namespace event_type

// The name mysqlbinlog and the server sources use for an event type ("TABLE_MAP_EVENT"), or
// an empty view for a code no server writes.
std::string_view event_type_name(uint8_t type);

// Column type codes (enum_field_types) as written in TABLE_MAP events.
namespace column_type {
inline constexpr uint8_t kDecimal = 0;
inline constexpr uint8_t kTiny = 1;
inline constexpr uint8_t kShort = 2;
inline constexpr uint8_t kLong = 3;
inline constexpr uint8_t kFloat = 4;
inline constexpr uint8_t kDouble = 5;
inline constexpr uint8_t kNull = 6;
inline constexpr uint8_t kTimestamp = 7;
inline constexpr uint8_t kLongLong = 8;
inline constexpr uint8_t kInt24 = 9;
inline constexpr uint8_t kDate = 10;
inline constexpr uint8_t kTime = 11;
inline constexpr uint8_t kDateTime = 12;
inline constexpr uint8_t kYear = 13;
inline constexpr uint8_t kNewDate = 14;
inline constexpr uint8_t kVarchar = 15;
inline constexpr uint8_t kBit = 16;
inline constexpr uint8_t kTimestamp2 = 17;
inline constexpr uint8_t kDateTime2 = 18;
inline constexpr uint8_t kTime2 = 19;
inline constexpr uint8_t kTypedArray = 20;
inline constexpr uint8_t kVector = 242;
inline constexpr uint8_t kInvalid = 243;
inline constexpr uint8_t kBool = 244;
inline constexpr uint8_t kJson = 245;
inline constexpr uint8_t kNewDecimal = 246;
inline constexpr uint8_t kEnum = 247;
inline constexpr uint8_t kSet = 248;
inline constexpr uint8_t kTinyBlob = 249;
inline constexpr uint8_t kMediumBlob = 250;
inline constexpr uint8_t kLongBlob = 251;
inline constexpr uint8_t kBlob = 252;
inline constexpr uint8_t kVarString = 253;
inline constexpr uint8_t kString = 254;
inline constexpr uint8_t kGeometry = 255;
}  // namespace column_type

// "LONGLONG", "VARCHAR", ... (the server's MYSQL_TYPE_ suffix), "UNKNOWN" otherwise.
std::string_view column_type_name(uint8_t type);

// Common-header flags.
namespace event_flag {
inline constexpr uint16_t kBinlogInUse = 0x0001;  // LOG_EVENT_BINLOG_IN_USE_F (FDE only)
inline constexpr uint16_t kThreadSpecific = 0x0004;
inline constexpr uint16_t kSuppressUse = 0x0008;
inline constexpr uint16_t kArtificial = 0x0020;
inline constexpr uint16_t kRelayLog = 0x0040;
inline constexpr uint16_t kIgnorable = 0x0080;  // LOG_EVENT_IGNORABLE_F
inline constexpr uint16_t kSkipReplication = 0x8000;
}  // namespace event_flag

// ROWS event flags.
namespace rows_flag {
inline constexpr uint16_t kStmtEnd = 0x0001;
inline constexpr uint16_t kNoForeignKeyChecks = 0x0002;
inline constexpr uint16_t kRelaxedUniqueChecks = 0x0004;
inline constexpr uint16_t kCompleteRows = 0x0008;
}  // namespace rows_flag

// TABLE_MAP optional metadata field types (binlog_row_metadata).
namespace table_meta {
inline constexpr uint8_t kSignedness = 1;
inline constexpr uint8_t kDefaultCharset = 2;
inline constexpr uint8_t kColumnCharset = 3;
inline constexpr uint8_t kColumnName = 4;
inline constexpr uint8_t kSetStrValue = 5;
inline constexpr uint8_t kEnumStrValue = 6;
inline constexpr uint8_t kGeometryType = 7;
inline constexpr uint8_t kSimplePrimaryKey = 8;
inline constexpr uint8_t kPrimaryKeyWithPrefix = 9;
inline constexpr uint8_t kEnumAndSetDefaultCharset = 10;
inline constexpr uint8_t kEnumAndSetColumnCharset = 11;
inline constexpr uint8_t kColumnVisibility = 12;
inline constexpr uint8_t kVectorDimensionality = 13;
}  // namespace table_meta

inline constexpr uint16_t kBinaryCollation = 63;
inline constexpr size_t kCommonHeaderLength = 19;
inline constexpr size_t kChecksumLength = 4;

}  // namespace sluice::mysql
