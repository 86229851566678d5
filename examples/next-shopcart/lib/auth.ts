'use client';
// A stand-in for the shop's Cognito useAuth(): same fields, the user id being the Cognito `sub`.
// The demo signs in a fixed user kept in localStorage; the real one wraps amazon-cognito-identity-js.
import { useEffect, useState } from 'react';

const KEY = 'demo-cognito-sub';
const listeners = new Set<() => void>();

export function useAuth() {
  const [userId, setUserId] = useState<string | null>(null);
  const [isLoaded, setLoaded] = useState(false);
  useEffect(() => {
    const read = () => setUserId(localStorage.getItem(KEY));
    read();
    setLoaded(true);
    listeners.add(read);
    return () => void listeners.delete(read);
  }, []);
  const change = (sub: string | null) => {
    if (sub) localStorage.setItem(KEY, sub);
    else localStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  };
  return {
    isLoaded,
    isSignedIn: !!userId,
    userId,
    signIn: () => change('3f1c2a9e-demo-cognito-sub'),
    signOut: () => change(null),
  };
}
