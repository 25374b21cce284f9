import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'feature_track',
  title: 'FeatureTrack',
  tag: 'Utils',
  webhookService: 'feature_track',
  references: {
    client_id: 'client',
    feature_id: 'feature',
  },
  schema: Type.Object({
    client_id: Type.String({ format: 'uuid' }),
    feature_id: Type.String({ format: 'uuid' }),
  }),
});
