/**
 * Protocol payloads (configuration.txt 7.3.1): FIX and MQTT messages, Protocol Buffers and gRPC fields.
 */
import type { ConverterRow } from '../types.js';
import { checkFixTag, checkMqttField, checkProtobufType } from '../validators.js';
import { c } from './row.js';

export const protocolsConverters: ConverterRow[] = [
  c('fix_is_valid', '', 'bin', 'bool', 'True when the payload is a valid FIX message.'),
  c('fix_tag_value', 'str', 'bin', 'bin', 'Value of a tag of a FIX message.', { validate: checkFixTag }),
  c('mqtt_field_value', 'str,str', 'bin', 'str', 'Value of a field or property of an MQTT packet.', { validate: checkMqttField }),
  c('mqtt_is_valid', '', 'bin', 'bool', 'True when the payload is a valid MQTT packet.'),
  c('protobuf', 'pbuf,str?', 'bin', 'bin', 'A field of a Protocol Buffers message, raw or as an integer.', { validate: checkProtobufType }),
  c('ungrpc', 'pbuf,str?', 'bin', 'bin', 'A field of a gRPC message, raw or as an integer.', { validate: checkProtobufType }),
];
