import { Navigate } from 'react-router';
import { homeOf, useAuth } from '../auth';

export default function HomePage() {
  const { me } = useAuth();
  return me ? <Navigate to={homeOf(me)} replace /> : null;
}
