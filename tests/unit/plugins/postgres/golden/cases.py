# Generates the golden input cases: mode, type name, oid, jdbc type, typmod, text.
import sys
T = {'bit': -7, 'bool': -7, 'int2': 5, 'int4': 4, 'int8': -5, 'oid': -5, 'float4': 7, 'float8': 8, 'numeric': 2,
     'money': 8, 'bpchar': 1, 'varchar': 12, 'text': 12, 'name': 12, 'bytea': -2, 'date': 91, 'time': 92,
     'timetz': 92, 'timestamp': 93, 'timestamptz': 93, 'interval': 1111, 'uuid': 1111, 'json': 1111,
     'jsonb': 1111, 'xml': 2009, 'inet': 1111, 'cidr': 1111, 'macaddr': 1111, 'macaddr8': 1111,
     'varbit': -7, 'point': 1111, 'int4range': 1111, 'tstzrange': 1111, 'hstore': 1111, 'citext': 1111,
     'ltree': 1111, 'geometry': 1111, 'geography': 1111, 'mood': 12, 'box': 1111, 'tsvector': 1111}
OID = {'bool': 16, 'bytea': 17, 'name': 19, 'int8': 20, 'int2': 21, 'int4': 23, 'text': 25, 'oid': 26, 'json': 114,
       'xml': 142, 'point': 600, 'cidr': 650, 'float4': 700, 'float8': 701, 'macaddr8': 774, 'money': 790,
       'macaddr': 829, 'inet': 869, 'bpchar': 1042, 'varchar': 1043, 'date': 1082, 'time': 1083,
       'timestamp': 1114, 'timestamptz': 1184, 'interval': 1186, 'timetz': 1266, 'bit': 1560, 'varbit': 1562,
       'numeric': 1700, 'uuid': 2950, 'jsonb': 3802, 'int4range': 3904, 'tstzrange': 3910, 'hstore': 16410,
       'citext': 16420, 'ltree': 16430, 'geometry': 16440, 'geography': 16441, 'mood': 16400, 'box': 603,
       'tsvector': 3614}
cases = []
def add(modes, name, typmod, *texts):
    for m in modes.split():
        for t in texts:
            cases.append((m, name, typmod, t))
add('precise', 'bool', -1, 't', 'f')
add('precise', 'int2', -1, '-32768', '32767')
add('precise', 'int4', -1, '42', '-2147483648')
add('precise', 'int8', -1, '9223372036854775807')
add('precise', 'oid', -1, '4294967295')
add('precise', 'float4', -1, '1.5', 'NaN', 'Infinity', '-Infinity', '3.4028235e+38', '1e-05', '0.1', '1234567')
add('precise', 'float8', -1, '1.5', 'NaN', '-Infinity', '1e+20', '0.1', '12345678.9', '0.0001', '-0')
add('precise double string', 'numeric', (10 << 16 | 2) + 4, '1234.50', '-0.01', '0.00', 'NaN')
add('precise double string', 'numeric', (5 << 16) + 4, '99999', '-1')
add('precise double string', 'numeric', -1, '-12.3400', '1200', '0', '0.00001', '123456789012345678901234567890.5', 'NaN', 'Infinity', '-Infinity')
add('precise double string', 'money', -1, '$1,234.56', '-$0.01', '$0.00', '-$92,233,720,368,547,758.08')
add('precise', 'bpchar', 5 + 4, 'ab   ')
add('precise', 'varchar', 20 + 4, 'hello')
add('precise', 'text', -1, 'multi\\nline "q" \\\\ é')
add('precise', 'name', -1, 'nm')
add('precise base64 hex', 'bytea', -1, '\\x00ff10', '\\x')
add('precise connect', 'date', -1, '2024-02-29', '1969-12-31', '0044-03-15 BC', 'infinity', '-infinity')
add('precise micros connect', 'time', -1, '10:15:30.123456', '24:00:00', '00:00:00')
add('precise micros connect', 'time', 3, '10:15:30.123')
add('precise', 'time', 0, '10:15:30')
add('precise', 'timetz', -1, '10:15:30+02', '01:00:00.5-05:30', '00:30:00+01', '10:15:30.123456+00', '10:15:30.120+00')
add('precise connect', 'timestamp', -1, '2024-01-15 10:30:00.123456', '1969-12-31 23:59:59.5', 'infinity', '-infinity', '0044-03-15 12:00:00 BC')
add('precise connect', 'timestamp', 3, '2024-01-15 10:30:00.123', '1969-12-31 23:59:59.999')
add('precise', 'timestamptz', -1, '2024-01-15 12:30:00+02', '2024-01-15 12:30:00.5+05:30', 'infinity', '-infinity', '10000-01-01 00:00:00+00', '0044-03-15 12:00:00+00 BC', '1969-12-31 23:59:59.999999+00')
add('precise', 'timestamptz', 3, '2024-01-15 10:30:00.12+00')
add('precise', 'timestamptz', 0, '2024-01-15 10:30:00+00')
add('precise istring', 'interval', -1, '1 year 2 mons 3 days 04:05:06.789', '-1 days +02:00:00', '00:00:00', '-00:00:00.5', '1 mon', '100:00:00', '-1 years -2 mons', '3 days -00:00:01.000001', '178000000 years')
add('precise', 'uuid', -1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')
add('precise', 'json', -1, '{"a": 1}')
add('precise', 'jsonb', -1, '{"b": [1, 2]}')
add('precise', 'xml', -1, '<a>1</a>')
add('precise', 'inet', -1, '192.168.0.1/24')
add('precise', 'cidr', -1, '10.0.0.0/8')
add('precise', 'macaddr', -1, '08:00:2b:01:02:03')
add('precise', 'macaddr8', -1, '08:00:2b:01:02:03:04:05')
add('precise', 'bit', 1, '1', '0')
add('precise', 'bit', 10, '1000000001', '0000000001', '0000000000')
add('precise', 'varbit', -1, '101', '1111111111111111')
add('precise', 'point', -1, '(1.5,-2)', '(0,0)')
add('precise', 'int4range', -1, '[1,10)')
add('precise', 'tstzrange', -1, '["2024-01-15 10:30:00+00","2024-01-16 10:30:00+00")')
add('precise hmap', 'hstore', -1, '"10"=>"x", "9"=>NULL', '"a\\"b"=>"c\\\\d"', '',
    ', '.join('"key%d"=>"v%d"' % (i, i) for i in range(13)))
add('precise', 'citext', -1, 'MiXed')
add('precise', 'ltree', -1, 'a.b.c')
add('precise', 'geometry', -1, '0101000020E6100000000000000000F03F0000000000000040', '0101000000000000000000F03F0000000000000040')
add('precise', 'geography', -1, '0101000020E6100000000000000000F03F0000000000000040')
add('precise', 'mood', -1, 'happy')
add('precise', 'box', -1, '(1,1),(0,0)')
add('precise', 'tsvector', -1, "'a' 'b'")
ARR = {'_bool': 1000, '_bytea': 1001, '_int2': 1005, '_int4': 1007, '_text': 1009, '_bpchar': 1014,
       '_varchar': 1015, '_int8': 1016, '_float4': 1021, '_float8': 1022, '_inet': 1041, '_timestamp': 1115,
       '_date': 1182, '_time': 1183, '_timestamptz': 1185, '_numeric': 1231, '_timetz': 1270, '_uuid': 2951,
       '_jsonb': 3807, '_int4range': 3905, '_mood': 16401, '_hstore': 16411, '_citext': 16421, '_json': 199,
       '_money': 791, '_interval': 1187}
for k, v in ARR.items():
    OID[k] = v
    T[k] = 2003
# Arrays of enum and extension types are left out: pgjdbc's PgArray looks their element
# types up in the database, where the fake OIDs do not exist.
add('precise', '_int4', -1, '{1,NULL,3}', '{}', '[0:1]={5,6}')
add('precise', '_int2', -1, '{1,-2}')
add('precise', '_int8', -1, '{9223372036854775807}')
add('precise', '_bool', -1, '{t,f,NULL}')
add('precise', '_float4', -1, '{1.5,NaN}')
add('precise', '_float8', -1, '{1.5,-Infinity}')
add('precise', '_text', -1, '{"a b","c\\"d",NULL,"NULL",plain,""}')
add('precise', '_varchar', 20 + 4, '{x,y}')
add('precise', '_bpchar', 3 + 4, '{"a  ",bcd}')
add('precise double string', '_numeric', (5 << 16 | 1) + 4, '{1.5,-2.0}')
add('precise', '_numeric', -1, '{1.50,-2}')
add('precise connect', '_date', -1, '{2024-02-29,NULL}')
add('precise', '_time', -1, '{10:15:30.123456}')
add('precise', '_timetz', -1, '{10:15:30+02}')
add('precise', '_timestamp', -1, '{"2024-01-15 10:30:00.123456"}')
add('precise', '_timestamptz', -1, '{"2024-01-15 10:30:00+00","2024-01-15 12:30:00.5+02"}')
add('precise', '_uuid', -1, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}')
add('precise', '_json', -1, '{"{\\"a\\": 1}"}')
add('precise', '_jsonb', -1, '{"{\\"a\\": 1}"}')
add('precise base64', '_bytea', -1, '{"\\\\x0102",NULL}')
add('precise', '_inet', -1, '{192.168.0.1/24}')
add('precise', '_int4range', -1, '{"[1,10)"}')
add('precise', '_money', -1, '{$1.00}')
add('precise', '_interval', -1, '{"1 day"}')
add('precise', '_int4', -1, '{{1,2},{3,4}}')
add('default', 'int4', -1, "nextval('t_id_seq'::regclass)", '0', "'-1'::integer", '42', 'NULL::integer')
add('default', 'int8', -1, "'-5'::integer", '9223372036854775807')
add('default', 'int2', -1, '7')
add('default', 'varchar', 20 + 4, "'abc'::character varying", "'it''s'::character varying", 'NULL::character varying')
add('default', 'text', -1, "'x'::text", "''::text")
add('default', 'bpchar', 5 + 4, "'ab'::bpchar")
add('default', 'bool', -1, 'true', 'false')
add('default', 'numeric', (10 << 16 | 2) + 4, '0.00', '1.5', "'-3'::integer")
add('default', 'numeric', -1, '0')
add('default', 'float8', -1, '1.5', "'NaN'::double precision")
add('default', 'float4', -1, "'2.5'::real")
# timestamp and time defaults are left out: PostgresDefaultValueConverter fails on them outside
# a running connector (a NullPointerException here).
add('default', 'timestamptz', -1, 'now()', "'2024-01-15 10:30:00+00'::timestamp with time zone")
add('default', 'date', -1, 'CURRENT_DATE', "'2024-02-29'::date")
add('default', 'uuid', -1, 'gen_random_uuid()', "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid")
add('default', 'json', -1, "'{}'::json")
add('default', 'jsonb', -1, "'{\"a\": 1}'::jsonb")
add('default', 'interval', -1, "'1 day'::interval")
add('default', 'bytea', -1, "'\\x00ff'::bytea")
add('default', 'mood', -1, "'ok'::mood")
add('default', 'money', -1, "'$1.50'::money")
add('notnull', 'int4', -1, '')
add('notnull', 'int2', -1, '')
add('notnull', 'int8', -1, '')
add('notnull', 'bool', -1, '')
add('notnull', 'float4', -1, '')
add('notnull', 'float8', -1, '')
add('notnull', 'numeric', (10 << 16 | 2) + 4, '')
add('notnull', 'numeric', -1, '')
add('notnull,double', 'numeric', -1, '')
add('notnull,string', 'numeric', -1, '')
add('notnull', 'money', -1, '')
add('notnull', 'varchar', 20 + 4, '')
add('notnull', 'text', -1, '')
add('notnull', 'bytea', -1, '')
add('notnull', 'date', -1, '')
add('notnull', 'time', -1, '')
add('notnull', 'time', 3, '')
add('notnull', 'timetz', -1, '')
add('notnull', 'timestamp', -1, '')
add('notnull', 'timestamptz', -1, '')
add('notnull', 'timestamptz', 3, '')
add('notnull', 'interval', -1, '')
add('notnull,istring', 'interval', -1, '')
add('notnull', 'uuid', -1, '')
add('notnull', 'json', -1, '')
add('notnull', 'jsonb', -1, '')
add('notnull', 'xml', -1, '')
add('notnull', 'bit', 1, '')
add('notnull', 'bit', 10, '')
add('notnull', 'point', -1, '')
add('notnull', 'hstore', -1, '')
add('notnull,hmap', 'hstore', -1, '')
add('notnull', 'mood', -1, '')
add('notnull', 'ltree', -1, '')
add('notnull', 'geometry', -1, '')
add('notnull', 'inet', -1, '')
add('notnull', 'int4range', -1, '')
add('notnull', '_int4', -1, '')
add('notnull', '_text', -1, '')
for name in ['bool', 'int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'numeric', 'money', 'bpchar', 'varchar',
             'text', 'bytea', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval', 'uuid', 'json',
             'jsonb', 'xml', 'inet', 'cidr', 'macaddr', 'macaddr8', 'bit', 'varbit', 'point', 'int4range',
             'tstzrange', 'hstore', 'citext', 'ltree', 'geometry', 'mood', '_int4', '_text', '_numeric']:
    add('propagate', name, -1, '')
add('propagate', 'numeric', (10 << 16 | 2) + 4, '')
add('propagate', 'numeric', (5 << 16) + 4, '')
add('propagate', 'varchar', 255 + 4, '')
add('propagate', 'bpchar', 1 + 4, '')
add('propagate', 'bit', 10, '')
add('propagate', 'varbit', 12, '')
add('propagate', 'time', 3, '')
add('propagate', 'timetz', 0, '')
add('propagate', 'timestamp', 3, '')
add('propagate', 'timestamptz', 0, '')
add('propagate', 'interval', 2, '')
add('propagate', '_numeric', (6 << 16 | 2) + 4, '')
add('propagate', '_varchar', 10 + 4, '')
for m, name, typmod, t in cases:
    print('\t'.join([m, name, str(OID[name]), str(T[name]), str(typmod), t]))
